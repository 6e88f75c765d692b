import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VersionOrder } from '../../src/pubsub/version-order.js';

const v = (...versions: number[]) => versions.map((version) => ({ version, id: `c${version}` }));
const versions = (changes: Array<{ version: number }>) => changes.map((c) => c.version);

describe('VersionOrder', () => {
  it('hands out consecutive changes at once', () => {
    const order = new VersionOrder(3);
    expect(versions(order.accept(v(4, 5)))).toEqual([4, 5]);
    expect(order.version).toBe(5);
    expect(order.gap()).toBeNull();
  });

  it('holds changes behind a hole, reports the hole, and releases them once it is filled', () => {
    const order = new VersionOrder(0);
    expect(order.accept(v(3, 4))).toEqual([]);
    expect(order.gap()).toEqual({ fromVersion: 0, toVersion: 2 });
    expect(order.knownVersion).toBe(4);
    expect(versions(order.accept(v(1)))).toEqual([1]);
    expect(order.gap()).toEqual({ fromVersion: 1, toVersion: 2 });
    expect(versions(order.accept(v(2)))).toEqual([2, 3, 4]);
    expect(order.gap()).toBeNull();
  });

  it('drops duplicates and changes it already delivered', () => {
    const order = new VersionOrder(0);
    expect(versions(order.accept(v(1, 2)))).toEqual([1, 2]);
    expect(order.accept(v(1, 2))).toEqual([]);
    expect(order.accept(v(4))).toEqual([]);
    expect(versions(order.accept(v(4, 3, 3)))).toEqual([3, 4]);
  });

  it('says how far behind it is when told the latest version', () => {
    const order = new VersionOrder(5);
    expect(order.behind(5)).toBeNull();
    expect(order.behind(4)).toBeNull();
    expect(order.behind(9)).toEqual({ fromVersion: 5, toVersion: 9 });
  });

  it('keeps at most maxWaiting changes, dropping the furthest, and still asks for them', () => {
    const order = new VersionOrder(0, 2);
    order.accept(v(5, 3, 4, 6));
    expect(order.knownVersion).toBe(4);
    expect(order.gap()).toEqual({ fromVersion: 0, toVersion: 2 });
    expect(versions(order.accept(v(1, 2)))).toEqual([1, 2, 3, 4]);
  });

  it('delivers every version exactly once, in order, whatever the arrival order and duplication', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 80 }),
        (total, arrivals) => {
          const order = new VersionOrder(0);
          const delivered: number[] = [];
          for (const version of arrivals.filter((a) => a <= total)) {
            delivered.push(...versions(order.accept(v(version))));
          }
          // Whatever is still missing comes from the store, as a room would read it.
          const gap = order.gap() ?? order.behind(total);
          if (gap) {
            const fromStore = v(...Array.from({ length: total }, (_, i) => i + 1)).filter(
              (c) => c.version > gap.fromVersion && c.version <= total,
            );
            delivered.push(...versions(order.accept(fromStore)));
          }
          expect(delivered).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        },
      ),
    );
  });
});
