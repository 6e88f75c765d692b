import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apply,
  codePointLength,
  compose,
  invert,
  makeInvertible,
  OTError,
  stripInvertible,
  transform,
} from '../src/index.js';
import { buildOp, docAndOpArb, docAndSequentialOpsArb, docAndTwoOpsArb, runs } from './arbitraries.js';

describe('invertible deletes ({d: text})', () => {
  it('invert needs no document once deletes carry their text', () => {
    fc.assert(
      fc.property(docAndOpArb, ({ doc, op }) => {
        const inv = makeInvertible(op, doc);
        expect(apply(doc, inv)).toBe(apply(doc, op));
        expect(apply(apply(doc, op), invert(inv))).toBe(doc);
        expect(stripInvertible(inv)).toEqual(op);
      }),
      runs(5_000),
    );
  });

  it('transform keeps the right deleted text (apply checks it) and converges', () => {
    fc.assert(
      fc.property(docAndTwoOpsArb, ({ doc, a, b }) => {
        const ai = makeInvertible(a, doc);
        const bi = makeInvertible(b, doc);
        const viaA = apply(apply(doc, ai), transform(bi, ai, 'right'));
        const viaB = apply(apply(doc, bi), transform(ai, bi, 'left'));
        expect(viaA).toBe(viaB);
      }),
      runs(5_000),
    );
  });

  it('compose keeps the right deleted text', () => {
    fc.assert(
      fc.property(docAndSequentialOpsArb, ({ doc, a, bSteps }) => {
        const mid = apply(doc, a);
        const b = buildOp(codePointLength(mid), bSteps);
        const ab = compose(makeInvertible(a, doc), makeInvertible(b, mid));
        expect(apply(doc, ab)).toBe(apply(mid, b));
        expect(apply(apply(mid, b), invert(ab))).toBe(doc);
      }),
      runs(5_000),
    );
  });

  it('refuses to delete text that is not there', () => {
    expect(() => apply('abc', [1, { d: 'x' }])).toThrow(OTError);
    expect(() => apply('abc', [1, { d: 'b' }])).not.toThrow();
  });

  it('refuses to invert a counted delete without the document', () => {
    expect(() => invert([1, { d: 1 }])).toThrow(/makeInvertible/);
    expect(invert([1, 'ab'])).toEqual([1, { d: 'ab' }]);
  });
});
