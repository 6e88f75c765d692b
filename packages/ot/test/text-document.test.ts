import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apply,
  codePointLength,
  fromSimple,
  type Op,
  OTError,
  sliceCodePoints,
  TextDocument,
} from '../src/index.js';
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

describe('TextDocument over many chunks', () => {
  // Documents of several hundred units, ops with long retains and deletes: every edit and slice
  // has chances to start, end or cross exactly at a chunk boundary.
  const bigDocArb = fc.array(fc.constantFrom('a', 'b', ' ', '😀', '中', 'e\u0301', '\n'), {
    minLength: 200,
    maxLength: 1200,
  });
  const editArb = fc.tuple(
    fc.nat(),
    fc.nat(300),
    fc.constantFrom('', 'x', 'yz', '👍🏽', 'long insert '.repeat(30)),
  );

  it('agrees with string apply and slice, counted and invertible deletes alike', () => {
    fc.assert(
      fc.property(
        bigDocArb,
        fc.array(editArb, { maxLength: 15 }),
        fc.boolean(),
        (units, edits, invertible) => {
          let text = units.join('');
          const doc = new TextDocument(text);
          for (const [at, del, ins] of edits) {
            const len = codePointLength(text);
            const pos = at % (len + 1);
            const n = Math.min(del, len - pos);
            const parts: Op = pos > 0 ? [pos] : [];
            if (ins) parts.push(ins);
            if (n > 0) parts.push(invertible ? { d: sliceCodePoints(text, pos, pos + n) } : { d: n });
            text = apply(text, parts);
            doc.apply(parts);
            const from = pos % (codePointLength(text) + 1);
            expect(doc.slice(from, from + 300)).toBe(sliceCodePoints(text, from, from + 300));
          }
          expect(doc.toString()).toBe(text);
        },
      ),
      runs(1_500),
    );
  });

  it('splits full chunks into halves, so typing does not leave crumbs', () => {
    const doc = new TextDocument('');
    for (let i = 0; i < 20_000; i++) doc.apply(i === 0 ? ['x'] : [i, 'x']);
    // At most one chunk per half of the maximum size (plus one partly filled).
    expect(doc.chunkCount).toBeLessThanOrEqual(Math.ceil(20_000 / 128) + 1);
  });
});

describe('TextDocument regressions, continued', () => {
  it('slices across a chunk boundary (used to hang)', () => {
    const doc = new TextDocument('a'.repeat(600));
    expect(doc.slice(256, 300)).toBe('a'.repeat(44));
    expect(doc.slice(0, 600)).toBe('a'.repeat(600));
  });

  it('applies a delete that names its text across a chunk boundary (used to hang)', () => {
    const text = 'ab'.repeat(300);
    const doc = new TextDocument(text);
    doc.apply([250, { d: text.slice(250, 400) }]);
    expect(doc.toString()).toBe(text.slice(0, 250) + text.slice(400));
  });
});
