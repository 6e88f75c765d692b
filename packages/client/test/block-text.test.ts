import { apply, codePointLength, type Op, OTError, sliceCodePoints } from '@jd-collab/ot';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockText } from '../src/block-text.js';

const SEED = Number(process.env.FC_SEED ?? 20261126);

/** Text with astral characters and combining marks, in runs long enough to fill many blocks. */
const unit = fc.constantFrom('a', 'b', ' ', '工', '😀', '\u0301', '👩‍💻');
const run = fc.tuple(fc.string({ unit, minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 300 }));
const textArb = fc.array(run, { maxLength: 6 }).map((runs) => runs.map(([s, n]) => s.repeat(n)).join(''));

type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; count: number; named: boolean }
  | { kind: 'read' };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: textArb.filter((t) => t.length > 0),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    count: fc.integer({ min: 1, max: 2_500 }),
    named: fc.boolean(),
  }),
  fc.constant({ kind: 'read' as const }),
);

/** Turns an edit with relative position into an op that fits `doc` (null when it cannot). */
function toOp(edit: Edit, doc: string): Op | null {
  const length = codePointLength(doc);
  if (edit.kind === 'read') return null;
  const at = Math.floor(edit.at * length);
  const prefix: Op = at > 0 ? [at] : [];
  if (edit.kind === 'insert') return [...prefix, edit.text];
  const count = Math.min(edit.count, length - at);
  if (count === 0) return null;
  return [...prefix, { d: edit.named ? sliceCodePoints(doc, at, at + count) : count }];
}

describe('BlockText', () => {
  it('matches string apply, length and slice over long random edit sequences', () => {
    fc.assert(
      fc.property(textArb, fc.array(editArb, { maxLength: 40 }), (initial, edits) => {
        const text = new BlockText(initial);
        let expected = initial;
        for (const edit of edits) {
          const op = toOp(edit, expected);
          if (op === null) {
            expect(text.toString()).toBe(expected); // reads in between use and refresh the cache
            continue;
          }
          text.apply(op);
          expected = apply(expected, op);
          expect(text.length).toBe(codePointLength(expected));
        }
        expect(text.toString()).toBe(expected);
        const length = codePointLength(expected);
        const from = Math.floor(length / 3);
        expect(text.slice(from, length - 1)).toBe(sliceCodePoints(expected, from, length - 1));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('deletes named text across many blocks (a range reading crosses block boundaries)', () => {
    const doc = 'abcdefghij'.repeat(1_000);
    const text = new BlockText(doc);
    text.apply([1_000, 'x']); // splits a block, so boundaries are no longer regular
    const expected = apply(doc, [1_000, 'x']);
    const op: Op = [500, { d: sliceCodePoints(expected, 500, 6_500) }];
    text.apply(op);
    expect(text.toString()).toBe(apply(expected, op));
  });

  it('refuses an op that does not fit and stays unchanged', () => {
    const text = new BlockText('héllo 😀 '.repeat(300));
    const before = text.toString();
    for (const op of [
      [3_000, 'x'],
      [10, { d: 5_000 }],
      [1, { d: 'zz' }],
      [0, 'x'],
    ] as Op[]) {
      expect(() => text.apply(op)).toThrow(OTError);
      expect(() => text.check(op)).toThrow(OTError);
    }
    expect(text.toString()).toBe(before);
    expect(text.length).toBe(codePointLength(before));
  });
});
