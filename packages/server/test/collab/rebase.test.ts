import { apply, tieSide, transform } from '@jd-collab/ot';
import { describe, expect, it } from 'vitest';
import { ChangeHistory, MAX_RETAINED } from '../../src/collab/history.js';
import { type LaterChange, prepareBase, rebaseOnto } from '../../src/collab/rebase.js';
import type { StoredChange } from '../../src/storage/types.js';

function stored(
  version: number,
  changeId: string,
  op: StoredChange['op'],
  createdAt = 0,
  userId = 'u',
): StoredChange {
  return { documentId: 'd', version, changeId, userId, userName: 'U', op, createdAt };
}

/**
 * One change by `author` at `baseVersion`, rebased over every later change (`tipLength`: the length
 * after them). The default author sorts after the later changes' ('u'): ties go by commit order.
 */
function rebase(
  baseVersion: number,
  op: StoredChange['op'],
  later: readonly LaterChange[],
  tipLength: number,
  author = 'w',
) {
  return rebaseOnto(op, author, prepareBase(baseVersion, later, tipLength), [], []);
}

describe('prepareBase and rebaseOnto', () => {
  it('returns the op unchanged at the tip', () => {
    expect(rebase(3, [2, 'a'], [], 5)).toEqual({
      kind: 'rebased',
      op: [2, 'a'],
      transforms: 0,
    });
  });

  it('transforms over every later change in order, the committed one winning ties', () => {
    const later = [stored(1, 'p', ['ab']), stored(2, 'q', [1, { d: 1 }])];
    const result = rebase(0, ['Z'], later, 1);
    expect(result).toEqual({ kind: 'rebased', op: [1, 'Z'], transforms: 2 });
    let doc = '';
    for (const c of later) doc = apply(doc, c.op);
    expect(apply(doc, (result as { op: StoredChange['op'] }).op)).toBe('aZ');
    expect(transform(['Z'], ['ab'], 'right')).toEqual([2, 'Z']);
  });

  it('breaks ties between inserts by author: the user id that sorts first goes left', () => {
    const later = [stored(1, 'x', ['[x'], 0, 'bob')];
    expect(rebase(0, ['[a'], later, 2, 'ann')).toMatchObject({ op: ['[a'] }); // ann < bob: before
    expect(rebase(0, ['[c'], later, 2, 'cat')).toMatchObject({ op: [2, '[c'] }); // cat > bob: after
    expect(rebase(0, ['[b'], later, 2, 'bob')).toMatchObject({ op: [2, '[b'] }); // same author: commit order
    // Off the single-insert fast path (two inserts in one op), and over staged changes of a group.
    const onQ = [stored(1, 'x', [1, '[x'], 0, 'bob')]; // base "Q", then bob's "[x" after it
    expect(rebase(0, ['!', 1, '[a'], onQ, 3, 'ann')).toMatchObject({ op: ['!', 1, '[a'] });
    expect(rebase(0, ['!', 1, '[c'], onQ, 3, 'cat')).toMatchObject({ op: ['!', 3, '[c'] });
    expect(rebaseOnto(['A'], 'ann', prepareBase(0, [], 0), [['B']], ['bob'])).toMatchObject({ op: ['A'] });
    expect(rebaseOnto(['C'], 'cat', prepareBase(0, [], 0), [['B']], ['bob'])).toMatchObject({ op: [1, 'C'] });
  });

  it('refuses an op that does not fit the document at its base version', () => {
    const later = [stored(1, 'grow', [3, 'xyz'])];
    const result = rebase(0, [5, '!'], later, 6);
    expect(result.kind).toBe('invalid');
    expect((result as { message: string }).message).toContain('version 0 has only 3');
  });
});

describe('ChangeHistory', () => {
  it('keeps the last `limit` changes and knows which bases it can serve', () => {
    const h = new ChangeHistory({ limit: 2 }, 0);
    h.append([stored(1, 'a', ['1']), stored(2, 'b', ['2']), stored(3, 'c', ['3'])]);
    expect(h.version).toBe(3);
    expect(h.oldestBase).toBe(1);
    expect(h.since(1)?.map((c) => c.changeId)).toEqual(['b', 'c']);
    expect(h.since(3)).toEqual([]);
    expect(h.since(0)).toBeNull();
    expect(h.versionOf('u', 'a')).toBeUndefined();
    expect(h.versionOf('u', 'c')).toBe(3);
  });

  it('also keeps every change younger than retainMs, and drops them as they age', () => {
    let now = 10_000;
    const h = new ChangeHistory({ limit: 2, retainMs: 1000, now: () => now }, 0);
    for (let v = 1; v <= 50; v++) h.append([stored(v, `c${v}`, ['x'], 9_500 + v)]);
    // All 50 are younger than a second: a client 49 versions behind is served from memory.
    expect(h.size).toBe(50);
    expect(h.since(1)).toHaveLength(49);
    expect(h.versionOf('u', 'c1')).toBe(1);
    now = 10_530; // c1..c29 are now older than 1 s
    h.append([stored(51, 'c51', ['x'], now)]);
    expect(h.oldestBase).toBe(29);
    expect(h.versionOf('u', 'c29')).toBeUndefined();
    expect(h.versionOf('u', 'c30')).toBe(30);
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
    const h = new ChangeHistory({ limit: 10 }, 4);
    expect(() => h.append([stored(6, 'x', ['x'])])).toThrow(/gap/);
  });
});

describe('rebaseOnto with the history (typed inserts as integer arithmetic)', () => {
  /** A small seeded generator, so a failure replays. */
  function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1_664_525 + 1_013_904_223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const TEXTS = ['a', 'bc', '😀', 'e\u0301', '中文', 'xyz!'];
  const AUTHORS = ['ann', 'me', 'zed'];

  it('gives exactly what transform folded over the later ops gives, for 3,000 random runs', () => {
    const random = prng(20_261_126);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    for (let run = 0; run < 3000; run++) {
      let doc = 'The quick brown fox';
      const history = new ChangeHistory({ limit: 1000 }, 0);
      const texts: string[] = [doc];
      for (let v = 1; v <= 12; v++) {
        const length = [...doc].length;
        const at = Math.floor(random() * (length + 1));
        const kind = random();
        let op: StoredChange['op'];
        if (kind < 0.6 || length === 0) op = at === 0 ? [pick(TEXTS)] : [at, pick(TEXTS)];
        else if (kind < 0.85 && at < length)
          op = [at, { d: Math.min(1 + Math.floor(random() * 3), length - at) }];
        else op = at < length ? [at, { d: 1 }, pick(TEXTS)] : [pick(TEXTS)];
        if (typeof op[0] === 'number' && op[0] === 0) op = op.slice(1) as StoredChange['op'];
        history.append([stored(v, `c${v}`, op, 0, pick(AUTHORS))]);
        doc = apply(doc, op);
        texts.push(doc);
      }
      const base = Math.floor(random() * 12);
      const baseLength = [...texts[base]!].length;
      const position = Math.floor(random() * (baseLength + 1));
      const mine: StoredChange['op'] = position === 0 ? ['!'] : [position, '!'];
      const later = history.since(base)!;
      const expected = later.reduce((o, c) => transform(o, c.op, tieSide('me', c.userId)), mine);
      const view = history.opsAfter(base)!;
      const result = rebaseOnto(mine, 'me', { baseVersion: base, ...view, baseLength }, [], []);
      expect(result, `run ${run}`).toEqual({ kind: 'rebased', op: expected, transforms: later.length });
    }
  });
});
