import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, codePointLength, fromSimple, OTError, sliceCodePoints, TextDocument } from '../src/index.js';
import { buildOp, runs, stepsArb, textArb } from './arbitraries.js';

describe('TextDocument', () => {
  it('applies a sequence of ops exactly like apply() on strings', () => {
    fc.assert(
      fc.property(textArb(40), fc.array(stepsArb, { maxLength: 12 }), (start, stepsList) => {
        const doc = new TextDocument(start);
        let text = start;
        for (const steps of stepsList) {
          const op = buildOp(codePointLength(text), steps);
          text = apply(text, op);
          doc.apply(op);
          expect(doc.length).toBe(codePointLength(text));
        }
        expect(doc.toString()).toBe(text);
      }),
      runs(3_000),
    );
  });

  it('stays correct over many chunks (long text, edits everywhere)', () => {
    let text = 'x'.repeat(3000) + '😀'.repeat(3000) + 'y'.repeat(3000);
    const doc = new TextDocument(text);
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const len = codePointLength(text);
      const pos = rnd(len + 1);
      const op = fromSimple(
        rnd(3) === 0 && pos < len
          ? { operation: 'delete', position: pos, length: 1 + rnd(Math.min(50, len - pos)) }
          : { operation: 'insert', position: pos, content: i % 2 ? 'ab' : '👍🏽' },
      );
      text = apply(text, op);
      doc.apply(op);
    }
    expect(doc.toString()).toBe(text);
    expect(doc.slice(100, 2000)).toBe(sliceCodePoints(text, 100, 2000));
  });

  it('leaves itself unchanged when an op does not fit', () => {
    const doc = new TextDocument('hello');
    expect(() => doc.apply([3, 'x', 3])).toThrow(OTError);
    expect(() => doc.apply([{ d: 9 }])).toThrow(/code point 9/);
    expect(doc.toString()).toBe('hello');
  });
});

describe('TextDocument regressions (bugs the properties found)', () => {
  it('deletes starting exactly at a chunk boundary (used to loop forever)', () => {
    // Long enough for several chunks; a delete at a boundary resolves to the end of the earlier chunk.
    const text = 'a'.repeat(700);
    for (const boundary of [256, 512, 128, 255, 257]) {
      const doc = new TextDocument(text);
      doc.apply([boundary, { d: 3 }]);
      expect(doc.toString()).toBe(apply(text, [boundary, { d: 3 }]));
      expect(doc.length).toBe(697);
    }
  });
});
