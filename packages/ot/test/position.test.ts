import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apply,
  codePointLength,
  sliceCodePoints,
  transformPosition,
  transformSelection,
} from '../src/index.js';
import { docAndOpArb, runs } from './arbitraries.js';

const withPosition = docAndOpArb.chain(({ doc, op }) =>
  fc.record({
    doc: fc.constant(doc),
    op: fc.constant(op),
    pos: fc.integer({ min: 0, max: codePointLength(doc) }),
  }),
);

describe('transformPosition', () => {
  it('stays within the new document', () => {
    fc.assert(
      fc.property(
        withPosition,
        fc.constantFrom('before' as const, 'after' as const),
        ({ doc, op, pos }, assoc) => {
          const p = transformPosition(pos, op, assoc);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(codePointLength(apply(doc, op)));
        },
      ),
      runs(10_000),
    );
  });

  it('follows the character it sat in front of when that character survives', () => {
    // Mark the character after the cursor with a unique sentinel, then check it is still there.
    fc.assert(
      fc.property(withPosition, ({ doc, op, pos }) => {
        const len = codePointLength(doc);
        if (pos >= len) return;
        const marked = `${sliceCodePoints(doc, 0, pos)}§${sliceCodePoints(doc, pos + 1)}`;
        const after = apply(marked, op);
        const at = [...after].indexOf('§');
        if (at === -1) return; // the character was deleted
        expect(transformPosition(pos, op, 'after')).toBe(at);
        // 'before' may stay in front of text inserted right at the cursor, but never past the character.
        expect(transformPosition(pos, op, 'before')).toBeLessThanOrEqual(at);
      }),
      runs(10_000),
    );
  });

  it('is monotonic', () => {
    fc.assert(
      fc.property(withPosition, ({ op, pos }) => {
        expect(transformPosition(pos + 1, op)).toBeGreaterThanOrEqual(transformPosition(pos, op));
      }),
      runs(3_000),
    );
  });

  it('examples', () => {
    expect(transformPosition(3, [1, 'XY'])).toBe(5);
    expect(transformPosition(1, [1, 'XY'], 'before')).toBe(1);
    expect(transformPosition(1, [1, 'XY'], 'after')).toBe(3);
    expect(transformPosition(4, [1, { d: 5 }])).toBe(1);
    expect(transformPosition(7, [1, { d: 5 }])).toBe(2);
    expect(transformPosition(2, [1, '😀'])).toBe(3);
  });
});

describe('transformSelection', () => {
  it('keeps ranges ordered and in the document', () => {
    const withSelection = docAndOpArb.chain(({ doc, op }) => {
      const len = codePointLength(doc);
      return fc.record({
        doc: fc.constant(doc),
        op: fc.constant(op),
        anchor: fc.integer({ min: 0, max: len }),
        head: fc.integer({ min: 0, max: len }),
      });
    });
    fc.assert(
      fc.property(withSelection, ({ doc, op, anchor, head }) => {
        const sel = transformSelection({ anchor, head }, op);
        const newLen = codePointLength(apply(doc, op));
        for (const p of [sel.anchor, sel.head]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(newLen);
        }
        expect(Math.sign(sel.head - sel.anchor)).not.toBe(-Math.sign(head - anchor) || 2);
      }),
      runs(5_000),
    );
  });

  it('does not grow a range over text inserted at its edges', () => {
    expect(transformSelection({ anchor: 2, head: 4 }, [2, 'X'])).toEqual({ anchor: 3, head: 5 });
    expect(transformSelection({ anchor: 2, head: 4 }, [4, 'X'])).toEqual({ anchor: 2, head: 4 });
    expect(transformSelection({ anchor: 4, head: 2 }, [4, 'X'])).toEqual({ anchor: 4, head: 2 });
  });
});
