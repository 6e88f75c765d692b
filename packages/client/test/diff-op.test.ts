/**
 * diffOp is what pending edits are rebased over when a full snapshot replaces the history since
 * their base (issue 25). It must be a real multi-hunk diff, so that a pending insert stays beside
 * the text it was typed next to instead of landing inside what someone else typed; and it must stay
 * fast on long texts with many differences. (The "any text to any other" property is in
 * sync-state.test.ts.)
 */
import { apply, codePointLength, type Op } from '@jd-collab/ot';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { diffOp } from '../src/diff-op.js';
import { SyncState } from '../src/sync-state.js';

const baseToken = (i: number) => `[b${i}]`;
const remoteToken = (i: number) => `[r${i}😀]`;
const pendingToken = (i: number) => `[p${i}é]`;

function occurrences(text: string, token: string): number {
  return text.split(token).length - 1;
}

/**
 * A base of `baseCount` tokens; a snapshot that has others' tokens inserted at the boundaries
 * `remoteAt` (0 = before the first base token); our pending tokens typed, offline, at the base
 * boundaries `pendingAt`. Returns the text after rebasing the pending edits over the snapshot.
 */
function rebaseOverSnapshot(baseCount: number, remoteAt: number[], pendingAt: number[]) {
  const base = Array.from({ length: baseCount }, (_, i) => baseToken(i));
  const snapshot: string[] = [];
  for (let k = 0; k <= baseCount; k++) {
    remoteAt.forEach((at, i) => {
      if (at === k) snapshot.push(remoteToken(i));
    });
    if (k < baseCount) snapshot.push(base[k]!);
  }
  let n = 0;
  const state = new SyncState({ text: base.join(''), version: 0, newChangeId: () => `id-${n++}` });
  // Local text as segments: base token k preceded by the pending tokens typed at boundary k.
  const typed: string[][] = Array.from({ length: baseCount + 1 }, () => []);
  pendingAt.forEach((at, i) => {
    typed[at]!.push(pendingToken(i));
    const before =
      typed
        .slice(0, at + 1)
        .flat()
        .join('') + base.slice(0, at).join('');
    const position = codePointLength(before) - codePointLength(pendingToken(i));
    state.applyLocal(position > 0 ? [position, pendingToken(i)] : [pendingToken(i)]);
  });
  expect(state.text).toBe(typed.map((t, k) => t.join('') + (base[k] ?? '')).join(''));
  state.resetToSnapshot(1, snapshot.join(''), { inflightIncluded: false });
  return { base, snapshot: snapshot.join(''), text: state.text };
}

describe('diffOp: pending edits rebased over a snapshot', () => {
  it('keeps an offline insert beside the text it was typed next to (multi-hunk)', () => {
    // Others typed r0 before b1 and r1 before b3; we typed p0 between b1 and b2.
    const { text } = rebaseOverSnapshot(4, [1, 3], [2]);
    expect(text).toBe('[b0][r0😀][b1][p0é][b2][r1😀][b3]');
    // Where a one-hunk diff (common prefix and suffix, replace the middle) put it: inside r0.
    expect(text).not.toContain('[[p0é]');
  });

  it('never puts an insert typed at a token boundary inside a token someone else inserted', () => {
    const boundaries = (max: number) => fc.array(fc.nat(max), { maxLength: 8 });
    const scenario = fc
      .integer({ min: 0, max: 10 })
      .chain((baseCount) => fc.tuple(fc.constant(baseCount), boundaries(baseCount), boundaries(baseCount)));
    fc.assert(
      fc.property(scenario, ([baseCount, remoteAt, pendingAt]) => {
        const { base, snapshot, text } = rebaseOverSnapshot(baseCount, remoteAt, pendingAt);
        const remote = remoteAt.map((_, i) => remoteToken(i));
        const pending = pendingAt.map((_, i) => pendingToken(i));
        // Every token whole and there once, and nothing else.
        for (const token of [...base, ...remote, ...pending]) expect(occurrences(text, token)).toBe(1);
        expect(codePointLength(text)).toBe(codePointLength(snapshot) + codePointLength(pending.join('')));
        // Base tokens keep their order; each pending token sits between the base tokens it was
        // typed between.
        const at = (token: string) => text.indexOf(token);
        for (let k = 1; k < base.length; k++) expect(at(base[k - 1]!)).toBeLessThan(at(base[k]!));
        pendingAt.forEach((k, i) => {
          if (k > 0) expect(at(pending[i]!)).toBeGreaterThan(at(base[k - 1]!));
          if (k < base.length) expect(at(pending[i]!)).toBeLessThan(at(base[k]!));
        });
      }),
      { seed: 25, numRuns: 400 },
    );
  });
});

/** A small deterministic generator (mulberry32), so the long texts are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('diffOp on long texts', () => {
  it('diffs two ~100,000-code-point texts with ~1,000 scattered differences, correctly', () => {
    const next = random(25);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const words = [
      'engineer',
      'team',
      'will',
      'and',
      'the',
      'of',
      'Kubernetes',
      '工程师',
      'café',
      '😀',
      'we',
    ];
    const from: string[] = [];
    while (from.length < 100_000) {
      from.push(...pick(words), next() < 0.08 ? '\n' : ' ');
    }
    const to = [...from];
    for (let i = 0; i < 1_000; i++) {
      const at = Math.floor(next() * to.length);
      to.splice(at, Math.floor(next() * 4), ...Array.from(pick(words)).slice(0, Math.floor(next() * 5)));
    }
    const a = from.join('');
    const b = to.join('');
    const op: Op = diffOp(a, b);
    expect(apply(a, op)).toBe(b);
    // A real diff: almost all of the text is kept, not replaced.
    const kept = op.reduce<number>((sum, part) => sum + (typeof part === 'number' ? part : 0), 0);
    expect(kept).toBeGreaterThan(0.95 * from.length);
  });

  it('past the time budget, diffs by line then by character, still exactly and multi-hunk', () => {
    // Whatever the machine's speed: the clock jumps 1 s during the first character diff (jsdiff
    // reads Date.now() for its timeout), so it gives up, and stays put for the diffs that follow.
    const now = Date.now.bind(Date);
    let calls = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now() + (++calls >= 2 ? 1_000 : 0));
    try {
      const lines = Array.from({ length: 200 }, (_, i) => `Line ${i}: the team 工程师 😀 ships weekly.`);
      const from = lines.join('\n');
      const to = lines
        .map((line, i) => (i % 50 === 7 ? line.replace('team', 'whole team').replace('😀', '🚀') : line))
        .join('\n');
      const op: Op = diffOp(from, to);
      expect(calls).toBeGreaterThan(2); // the budget ran out, and more diffs followed
      expect(apply(from, op)).toBe(to);
      // The changed lines were diffed by character: only 'whole ' is new, '😀' became '🚀'.
      const inserted = op.filter((part): part is string => typeof part === 'string');
      expect(inserted.join('')).toBe('whole 🚀'.repeat(4));
    } finally {
      clock.mockRestore();
    }
  });
});
