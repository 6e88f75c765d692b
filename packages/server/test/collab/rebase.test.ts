import { apply, transform } from '@jd-collab/ot';
import { describe, expect, it } from 'vitest';
import { ChangeHistory, MAX_RETAINED } from '../../src/collab/history.js';
import { rebaseChange } from '../../src/collab/rebase.js';
import type { StoredChange } from '../../src/storage/types.js';

function stored(version: number, changeId: string, op: StoredChange['op'], createdAt = 0): StoredChange {
  return { documentId: 'd', version, changeId, userId: 'u', userName: 'U', op, createdAt };
}

describe('rebaseChange', () => {
  it('returns the op unchanged at the tip', () => {
    expect(rebaseChange({ changeId: 'x', baseVersion: 3, op: [2, 'a'] }, [], 5)).toEqual({
      kind: 'rebased',
      op: [2, 'a'],
      transforms: 0,
    });
  });

  it('transforms over every later change in order, the committed one winning ties', () => {
    const later = [stored(1, 'p', ['ab']), stored(2, 'q', [1, { d: 1 }])];
    const result = rebaseChange({ changeId: 'x', baseVersion: 0, op: ['Z'] }, later, 1);
    expect(result).toEqual({ kind: 'rebased', op: [1, 'Z'], transforms: 2 });
    let doc = '';
    for (const c of later) doc = apply(doc, c.op);
    expect(apply(doc, (result as { op: StoredChange['op'] }).op)).toBe('aZ');
    expect(transform(['Z'], ['ab'], 'right')).toEqual([2, 'Z']);
  });

  it('recognises its own changeId among the later changes as a retry', () => {
    const later = [stored(4, 'other', ['x']), stored(5, 'mine', ['y'])];
    expect(rebaseChange({ changeId: 'mine', baseVersion: 3, op: ['y'] }, later, 2)).toEqual({
      kind: 'duplicate',
      version: 5,
    });
  });

  it('refuses an op that does not fit the document at its base version', () => {
    const later = [stored(1, 'grow', [3, 'xyz'])];
    const result = rebaseChange({ changeId: 'x', baseVersion: 0, op: [5, '!'] }, later, 6);
    expect(result.kind).toBe('invalid');
    expect((result as { message: string }).message).toContain('version 0 has only 3');
  });
});

describe('ChangeHistory', () => {
  it('keeps the last `limit` changes and knows which bases it can serve', () => {
    const h = new ChangeHistory(2, 0);
    h.append([stored(1, 'a', ['1']), stored(2, 'b', ['2']), stored(3, 'c', ['3'])]);
    expect(h.version).toBe(3);
    expect(h.oldestBase).toBe(1);
    expect(h.since(1)?.map((c) => c.changeId)).toEqual(['b', 'c']);
    expect(h.since(3)).toEqual([]);
    expect(h.since(0)).toBeNull();
    expect(h.versionOf('a')).toBeUndefined();
    expect(h.versionOf('c')).toBe(3);
  });

  it('also keeps every change younger than retainMs, and drops them as they age', () => {
    let now = 10_000;
    const h = new ChangeHistory({ limit: 2, retainMs: 1000, now: () => now }, 0);
    for (let v = 1; v <= 50; v++) h.append([stored(v, `c${v}`, ['x'], 9_500 + v)]);
    // All 50 are younger than a second: a client 49 versions behind is served from memory.
    expect(h.size).toBe(50);
    expect(h.since(1)).toHaveLength(49);
    expect(h.versionOf('c1')).toBe(1);
    now = 10_530; // c1..c29 are now older than 1 s
    h.append([stored(51, 'c51', ['x'], now)]);
    expect(h.oldestBase).toBe(29);
    expect(h.versionOf('c29')).toBeUndefined();
    expect(h.versionOf('c30')).toBe(30);
    expect(h.since(28)).toBeNull();
    expect(h.since(29)?.map((c) => c.version)).toEqual(Array.from({ length: 22 }, (_, i) => 30 + i));
    now = 1_000_000; // everything old: back to the last `limit`
    h.append([stored(52, 'c52', ['x'], now)]);
    expect(h.size).toBe(2);
    expect(h.since(50)?.map((c) => c.changeId)).toEqual(['c51', 'c52']);
  });

  it('never keeps more than MAX_RETAINED changes, however young', () => {
    const h = new ChangeHistory({ limit: 10, retainMs: 3_600_000, now: () => 0 }, 0);
    const batch = Array.from({ length: MAX_RETAINED + 5 }, (_, i) => stored(i + 1, `c${i + 1}`, ['x']));
    h.append(batch);
    expect(h.size).toBe(MAX_RETAINED);
    expect(h.oldestBase).toBe(5);
    expect(h.since(5)).toHaveLength(MAX_RETAINED);
  });

  it('refuses a gap', () => {
    const h = new ChangeHistory(10, 4);
    expect(() => h.append([stored(6, 'x', ['x'])])).toThrow(/gap/);
  });
});
