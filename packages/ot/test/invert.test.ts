import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, invert, OTError } from '../src/index.js';
import { docAndOpArb, runs } from './arbitraries.js';

describe('invert', () => {
  it('undoes the op', () => {
    fc.assert(
      fc.property(docAndOpArb, ({ doc, op }) => {
        expect(apply(apply(doc, op), invert(op, doc))).toBe(doc);
      }),
      runs(15_000),
    );
  });

  it('inverting twice gives back an equivalent op', () => {
    fc.assert(
      fc.property(docAndOpArb, ({ doc, op }) => {
        const after = apply(doc, op);
        const twice = invert(invert(op, doc), after);
        expect(apply(doc, twice)).toBe(after);
      }),
      runs(3_000),
    );
  });

  it('restores deleted emoji whole', () => {
    expect(invert([1, { d: 2 }], 'a😀👍b')).toEqual([1, '😀👍']);
  });

  it('refuses a document the op does not fit', () => {
    expect(() => invert([5, { d: 1 }], 'abc')).toThrow(OTError);
  });
});
