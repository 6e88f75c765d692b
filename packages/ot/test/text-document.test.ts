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

describe('TextDocument read after every edit (cached group strings)', () => {
  // Documents of up to tens of thousands of units span many groups of chunks, so edits land in,
  // across and between groups, split them (pastes, typing) and empty or merge them (deletes,
  // backspacing); the text is read after every single op, so a stale cached string shows at once.
  const unit = fc.constantFrom('a', 'b', ' ', '\n', '中', '😀', 'e\u0301', '👍🏽');
  const runArb = fc.tuple(
    fc.string({ unit, minLength: 1, maxLength: 8 }),
    fc.integer({ min: 1, max: 2_000 }),
  );
  const bigTextArb = fc
    .array(runArb, { maxLength: 6 })
    .map((parts) => parts.map(([s, n]) => s.repeat(n)).join(''));

  type Edit =
    | { kind: 'insert'; at: number; text: string }
    | { kind: 'delete'; at: number; count: number; named: boolean }
    | { kind: 'type' | 'backspace'; at: number; times: number; char: string };

  // `at` is a fraction of the document, so edits land anywhere whatever its length.
  const at = fc.double({ min: 0, max: 1, noNaN: true });
  const editArb: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({
      kind: fc.constant('insert' as const),
      at,
      text: fc.oneof(
        fc.constantFrom('x', 'yz', '👍🏽'),
        bigTextArb.filter((t) => t.length > 0),
      ),
    }),
    fc.record({
      kind: fc.constant('delete' as const),
      at,
      count: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 12_000 })),
      named: fc.boolean(),
    }),
    fc.record({
      kind: fc.constantFrom('type' as const, 'backspace' as const),
      at,
      times: fc.integer({ min: 1, max: 40 }),
      char: fc.constantFrom('k', '😀', '中'),
    }),
  );

  /** The ops of one edit on `text`, in order (a burst of typing or backspacing is one op per key). */
  function opsFor(edit: Edit, text: string): Op[] {
    const length = codePointLength(text);
    const pos = Math.floor(edit.at * length);
    const retain = (n: number): Op => (n > 0 ? [n] : []);
    switch (edit.kind) {
      case 'insert':
        return [[...retain(pos), edit.text]];
      case 'delete': {
        const n = Math.min(edit.count, length - pos);
        if (n === 0) return [];
        return [[...retain(pos), { d: edit.named ? sliceCodePoints(text, pos, pos + n) : n }]];
      }
      case 'type':
        return Array.from({ length: edit.times }, (_, j) => [...retain(pos + j), edit.char]);
      case 'backspace':
        return Array.from({ length: Math.min(edit.times, pos) }, (_, j) => [
          ...retain(pos - 1 - j),
          { d: 1 },
        ]);
    }
  }

  it('toString() after every op equals apply() on strings', () => {
    fc.assert(
      fc.property(bigTextArb, fc.array(editArb, { maxLength: 25 }), (start, edits) => {
        const doc = new TextDocument(start);
        let text = start;
        for (const edit of edits) {
          for (const op of opsFor(edit, text)) {
            doc.apply(op);
            text = apply(text, op);
            expect(doc.toString()).toBe(text);
          }
          expect(doc.length).toBe(codePointLength(text));
        }
        const length = codePointLength(text);
        const from = Math.floor(length / 3);
        expect(doc.slice(from, length - 1)).toBe(sliceCodePoints(text, from, length - 1));
      }),
      runs(60),
    );
  });

  it('backspaces across a group boundary (a small chunk merges with the first of the next group)', () => {
    // 64 chunks of 256 units in two groups of 32, which meet at 8,192; backspacing from beyond
    // there empties the end of the first group's last chunk, which then takes in the next group's
    // first chunk: an edit that changes two groups.
    let text = 'abcdefgh'.repeat(2_048);
    const doc = new TextDocument(text);
    expect(doc.chunkCount).toBe(64);
    for (let pos = 8_192 + 300; pos > 8_192 - 300; pos--) {
      const op: Op = [pos - 1, { d: 1 }];
      doc.apply(op);
      text = apply(text, op);
      expect(doc.toString()).toBe(text);
    }
    expect(doc.chunkCount).toBe(62);
    expect(doc.slice(7_000, 9_000)).toBe(sliceCodePoints(text, 7_000, 9_000));
  });

  it('joins a small group into the previous one when the next has no room', () => {
    // 96 chunks of 256 units in three groups of 32. Deleting whole chunks leaves the first group
    // with 10 and then the second with 7 (small): the third is full, so the second joins the first,
    // whose string was cached by the read before.
    let text = 'abcdefgh'.repeat(96 * 32);
    const doc = new TextDocument(text);
    for (const op of [
      [256, { d: 22 * 256 }],
      [11 * 256, { d: 25 * 256 }],
      [10 * 256 - 3, 'xyz'],
    ] as Op[]) {
      doc.apply(op);
      text = apply(text, op);
      expect(doc.toString()).toBe(text);
    }
    expect(doc.chunkCount).toBe(96 - 22 - 25 + 1); // the insert split a full chunk in two
  });

  it('deletes named text across many chunks and groups', () => {
    const start = 'abcdefghij'.repeat(3_000);
    const doc = new TextDocument(start);
    doc.apply([1_000, 'x']); // splits a chunk, so boundaries are no longer regular
    const text = apply(start, [1_000, 'x']);
    expect(doc.toString()).toBe(text);
    const op: Op = [500, { d: sliceCodePoints(text, 500, 20_500) }];
    doc.apply(op);
    expect(doc.toString()).toBe(apply(text, op));
  });

  it('empties completely and fills again', () => {
    const start = 'héllo 😀 '.repeat(5_000);
    const doc = new TextDocument(start);
    expect(doc.toString()).toBe(start);
    doc.apply([{ d: codePointLength(start) }]);
    expect(doc.toString()).toBe('');
    expect(doc.chunkCount).toBe(0);
    doc.apply(['again']);
    doc.apply([5, '!']);
    expect(doc.toString()).toBe('again!');
  });

  it('refuses an op that does not fit, in check() and apply(), and stays unchanged', () => {
    const doc = new TextDocument('héllo 😀 '.repeat(3_000));
    const before = doc.toString(); // cached now: a refused op must not make the cache stale or wrong
    for (const op of [
      [30_000, 'x'],
      [10, { d: 50_000 }],
      [1, { d: 'zz' }],
      [0, 'x'],
    ] as Op[]) {
      expect(() => doc.check(op)).toThrow(OTError);
      expect(() => doc.apply(op)).toThrow(OTError);
    }
    expect(doc.toString()).toBe(before);
    expect(doc.length).toBe(codePointLength(before));
    doc.check([1, { d: 'é' }]); // fits: no throw, no change
    expect(doc.toString()).toBe(before);
  });
});
