import { apply, transform } from '@jd-collab/ot';
import { describe, expect, it } from 'vitest';
import { ChangeHistory } from '../../src/collab/history.js';
import { rebaseChange } from '../../src/collab/rebase.js';
import type { StoredChange } from '../../src/storage/types.js';

function stored(version: number, changeId: string, op: StoredChange['op']): StoredChange {
  return { documentId: 'd', version, changeId, userId: 'u', userName: 'U', op, createdAt: 0 };
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

  it('refuses a gap', () => {
    const h = new ChangeHistory(10, 4);
    expect(() => h.append([stored(6, 'x', ['x'])])).toThrow(/gap/);
  });
});
