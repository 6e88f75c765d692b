import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, codePointLength, compose, normalize } from '../src/index.js';
import { buildOp, docAndSequentialOpsArb, runs } from './arbitraries.js';

describe('compose', () => {
  it('agrees with applying the two ops one after the other', () => {
    fc.assert(
      fc.property(docAndSequentialOpsArb, ({ doc, a, bSteps }) => {
        const mid = apply(doc, a);
        const b = buildOp(codePointLength(mid), bSteps);
        expect(apply(doc, compose(a, b))).toBe(apply(mid, b));
      }),
      runs(20_000),
    );
  });

  it('returns normalized ops', () => {
    fc.assert(
      fc.property(docAndSequentialOpsArb, ({ doc, a, bSteps }) => {
        const b = buildOp(codePointLength(apply(doc, a)), bSteps);
        const ab = compose(a, b);
        expect(normalize(ab)).toEqual(ab);
      }),
      runs(5_000),
    );
  });

  it('is associative in effect', () => {
    fc.assert(
      fc.property(docAndSequentialOpsArb, ({ doc, a, bSteps }) => {
        const mid = apply(doc, a);
        const b = buildOp(codePointLength(mid), bSteps);
        const end = apply(mid, b);
        const c = buildOp(codePointLength(end), bSteps.slice().reverse());
        expect(apply(doc, compose(compose(a, b), c))).toBe(apply(doc, compose(a, compose(b, c))));
      }),
      runs(5_000),
    );
  });

  it('cancels an insert that is deleted right after', () => {
    expect(compose([2, 'abc'], [3, { d: 2 }])).toEqual([2, 'a']);
    expect(compose([2, 'abc'], [2, { d: 3 }])).toEqual([]);
  });

  it('slices inserts by code points, not UTF-16 units', () => {
    expect(compose(['😀👍🏽x'], [1, { d: 1 }])).toEqual(['😀🏽x']);
    expect(apply('', compose(['😀👍🏽x'], [1, { d: 1 }]))).toBe('😀🏽x');
  });
});
