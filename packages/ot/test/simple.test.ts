import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, fromSimple, OTError, type SimpleChange, toSimple } from '../src/index.js';
import { nonEmptyTextArb, runs } from './arbitraries.js';

describe('simple form', () => {
  it('round-trips inserts and deletes', () => {
    const simple = fc.oneof(
      fc.record({
        operation: fc.constant('insert' as const),
        position: fc.nat(1000),
        content: nonEmptyTextArb(),
      }),
      fc.record({
        operation: fc.constant('delete' as const),
        position: fc.nat(1000),
        length: fc.integer({ min: 1, max: 50 }),
      }),
    );
    fc.assert(
      fc.property(simple, (change: SimpleChange) => {
        expect(toSimple(fromSimple(change))).toEqual(change);
      }),
      runs(5_000),
    );
  });

  it("matches the design's example", () => {
    let doc = apply('', fromSimple({ operation: 'insert', position: 0, content: 'Hello ' }));
    doc = apply(doc, fromSimple({ operation: 'insert', position: 6, content: 'World' }));
    expect(doc).toBe('Hello World');
    expect(apply(doc, fromSimple({ operation: 'delete', position: 5, length: 6 }))).toBe('Hello');
  });

  it('has no simple form for compound ops', () => {
    expect(toSimple([1, 'a', 2, { d: 1 }])).toBeNull();
    expect(toSimple([])).toBeNull();
    expect(toSimple([3])).toBeNull();
  });

  it('refuses bad simple changes', () => {
    expect(() => fromSimple({ operation: 'insert', position: -1, content: 'x' })).toThrow(OTError);
    expect(() => fromSimple({ operation: 'insert', position: 0, content: '' })).toThrow(/non-empty/);
    expect(() => fromSimple({ operation: 'delete', position: 0, length: 0 })).toThrow(/length/);
    expect(() => fromSimple({ operation: 'move', position: 0 } as unknown as SimpleChange)).toThrow(
      /operation/,
    );
  });
});
