import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apply,
  codePointLength,
  lengthChange,
  type Op,
  type Side,
  transform,
  transformOver,
} from '../src/index.js';
import { buildOp, docAndTwoOpsArb, nonEmptyTextArb, runs, stepsArb, textArb } from './arbitraries.js';

/** Applies a then b' (b transformed against a) and b then a'; both must give the same text. */
function bothOrders(doc: string, a: Op, b: Op, aSide: Side = 'left') {
  const bSide: Side = aSide === 'left' ? 'right' : 'left';
  const viaA = apply(apply(doc, a), transform(b, a, bSide));
  const viaB = apply(apply(doc, b), transform(a, b, aSide));
  return { viaA, viaB };
}

describe('transform', () => {
  it('converges for any two concurrent ops (TP1), whichever side wins ties', () => {
    fc.assert(
      fc.property(docAndTwoOpsArb, fc.constantFrom<Side>('left', 'right'), ({ doc, a, b }, side) => {
        const { viaA, viaB } = bothOrders(doc, a, b, side);
        expect(viaA).toBe(viaB);
      }),
      runs(30_000),
    );
  });

  it('keeps every insert of the transformed op, in order', () => {
    fc.assert(
      fc.property(docAndTwoOpsArb, ({ a, b }) => {
        const aPrime = transform(a, b, 'left');
        const inserted = aPrime.filter((c) => typeof c === 'string').join('');
        const aInserted = a.filter((c) => typeof c === 'string').join('');
        expect(inserted).toBe(aInserted);
      }),
      runs(5_000),
    );
  });

  it('against a no-op returns the op unchanged', () => {
    fc.assert(
      fc.property(docAndTwoOpsArb, ({ a }) => {
        expect(transform(a, [], 'left')).toEqual(a);
        expect(transform([], a, 'right')).toEqual([]);
      }),
      runs(3_000),
    );
  });

  describe('named cases', () => {
    const cases: Array<{ name: string; doc: string; a: Op; b: Op; expected: string }> = [
      {
        name: 'inserts at the same position: left first',
        doc: 'ab',
        a: [1, 'X'],
        b: [1, 'Y'],
        expected: 'aXYb',
      },
      {
        name: 'insert inside a concurrently deleted range survives',
        doc: 'abcdef',
        a: [2, 'X'],
        b: [1, { d: 3 }],
        expected: 'aXef',
      },
      {
        name: 'insert at the start of a deleted range',
        doc: 'abcdef',
        a: [1, 'X'],
        b: [1, { d: 3 }],
        expected: 'aXef',
      },
      {
        name: 'insert at the end of a deleted range',
        doc: 'abcdef',
        a: [4, 'X'],
        b: [1, { d: 3 }],
        expected: 'aXef',
      },
      {
        name: 'overlapping deletes delete each character once',
        doc: 'abcdef',
        a: [1, { d: 3 }],
        b: [2, { d: 3 }],
        expected: 'af',
      },
      { name: 'nested deletes', doc: 'abcdef', a: [{ d: 6 }], b: [2, { d: 2 }], expected: '' },
      { name: 'identical deletes', doc: 'abcdef', a: [2, { d: 2 }], b: [2, { d: 2 }], expected: 'abef' },
      {
        name: 'replace vs replace of the same word',
        doc: 'one two',
        a: [4, 'TWO', { d: 3 }],
        b: [4, '2', { d: 3 }],
        expected: 'one TWO2',
      },
      { name: 'emoji are one code point each', doc: 'a😀b', a: [2, 'X'], b: [1, { d: 1 }], expected: 'aXb' },
      {
        name: 'combining mark kept apart from its base',
        doc: 'e\u0301x',
        a: [1, 'Y'],
        b: [{ d: 1 }],
        expected: 'Y\u0301x',
      },
      { name: 'CJK', doc: '中文字', a: [1, '的'], b: [2, { d: 1 }], expected: '中的文' },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const { viaA, viaB } = bothOrders(c.doc, c.a, c.b, 'left');
        expect(viaA).toBe(c.expected);
        expect(viaB).toBe(c.expected);
      });
    }

    it('the right side goes after on a tie', () => {
      expect(transform([1, 'X'], [1, 'Y'], 'right')).toEqual([2, 'X']);
      expect(transform([1, 'X'], [1, 'Y'], 'left')).toEqual([1, 'X']);
    });

    it('refuses an unknown side', () => {
      expect(() => transform([1, 'X'], [1, 'Y'], 'middle' as Side)).toThrow(/side/);
    });
  });
});

describe('transformOver', () => {
  /** A document, an op on it, and a run of ops each made on the previous one's result. */
  const runArb = fc
    .record({
      doc: textArb(),
      insert: fc.record({ at: fc.nat(), text: nonEmptyTextArb() }),
      steps: stepsArb,
      useInsert: fc.boolean(),
      others: fc.array(stepsArb, { minLength: 0, maxLength: 6 }),
      side: fc.constantFrom<Side>('left', 'right'),
    })
    .map(({ doc, insert, steps, useInsert, others, side }) => {
      const length = codePointLength(doc);
      const position = insert.at % (length + 1);
      const op: Op = useInsert
        ? position === 0
          ? [insert.text]
          : [position, insert.text]
        : buildOp(length, steps);
      let current = length;
      const later = others.map((s) => {
        const other = buildOp(current, s);
        current += lengthChange(other);
        return other;
      });
      return { doc, op, later, side };
    });

  it('equals transform folded over the ops, on the single-insert fast path and off it', () => {
    fc.assert(
      fc.property(runArb, ({ doc, op, later, side }) => {
        const folded = later.reduce((o, other) => transform(o, other, side), op);
        const over = transformOver(op, later, side);
        expect(over).toEqual(folded);
        // The same over a longer list, skipping what comes before `from`.
        expect(transformOver(op, [['unrelated'], ...later], side, 1)).toEqual(folded);
        // And it applies where the fold does: after every later op.
        const after = later.reduce((text, other) => apply(text, other), doc);
        expect(apply(after, over)).toBe(apply(after, folded));
      }),
      runs(20_000),
    );
  });

  it('moves a typed insert through inserts, deletes around it and a delete that swallows it', () => {
    const doc = 'abcdef';
    const later: Op[] = [[2, 'XY'], [1, { d: 5 }], ['>']];
    // "abXYcdef" -> "a" + "ef"... the insert at 4 ("abcd|ef") was inside the deleted range.
    expect(transformOver([4, '!'], later, 'right')).toEqual(
      transform(transform(transform([4, '!'], later[0]!, 'right'), later[1]!, 'right'), later[2]!, 'right'),
    );
    expect(
      apply(
        later.reduce((t, o) => apply(t, o), doc),
        transformOver([4, '!'], later, 'right'),
      ),
    ).toBe('>a!ef');
    // Ties: 'right' goes after an insert at the same position, 'left' before it.
    expect(transformOver(['!'], [['>']], 'right')).toEqual([1, '!']);
    expect(transformOver(['!'], [['>']], 'left')).toEqual(['!']);
  });
});
