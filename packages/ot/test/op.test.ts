import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apply,
  checkOp,
  codePointLength,
  isNoop,
  lengthChange,
  normalize,
  type Op,
  OTError,
} from '../src/index.js';
import { buildOp, docAndOpArb, runs, stepsArb, textArb } from './arbitraries.js';

describe('normalize', () => {
  it('is idempotent and keeps the effect of the op', () => {
    const raw = fc.record({ doc: textArb(), steps: stepsArb }).map(({ doc, steps }) => ({
      doc,
      op: buildOp(codePointLength(doc), steps, false),
    }));
    fc.assert(
      fc.property(raw, ({ doc, op }) => {
        const once = normalize(op);
        expect(normalize(once)).toEqual(once);
        expect(apply(doc, once)).toBe(apply(doc, op));
        expect(typeof once[once.length - 1]).not.toBe('number');
      }),
      runs(10_000),
    );
  });

  it('puts an insert before an adjacent delete and merges neighbours', () => {
    expect(normalize([1, 1, { d: 1 }, 'a', { d: 2 }, 'b', 3])).toEqual([2, 'ab', { d: 3 }]);
  });
});

describe('JSON', () => {
  it('round-trips every op', () => {
    fc.assert(
      fc.property(docAndOpArb, ({ doc, op }) => {
        const back = JSON.parse(JSON.stringify(op)) as unknown;
        checkOp(back);
        expect(back).toEqual(op);
        expect(apply(doc, back)).toBe(apply(doc, op));
      }),
      runs(10_000),
    );
  });
});

describe('apply', () => {
  it('changes the length by exactly what the op says', () => {
    fc.assert(
      fc.property(docAndOpArb, ({ doc, op }) => {
        expect(codePointLength(apply(doc, op))).toBe(codePointLength(doc) + lengthChange(op));
      }),
      runs(5_000),
    );
  });

  it('refuses an op that reaches past the end, with a typed error', () => {
    const attempt = () => apply('abc', [2, { d: 2 }]);
    expect(attempt).toThrow(OTError);
    try {
      attempt();
    } catch (e) {
      expect((e as OTError).code).toBe('OP_DOES_NOT_FIT');
    }
    expect(() => apply('a😀', [3])).toThrow(/code point 3/);
    expect(apply('a😀', [2, '!'])).toBe('a😀!');
  });

  it('cannot split a surrogate pair', () => {
    // Position 1 is after the whole emoji: there is no position inside it.
    expect(apply('😀b', [1, 'X'])).toBe('😀Xb');
    expect(apply('😀b', [{ d: 1 }])).toBe('b');
  });
});

describe('checkOp', () => {
  const bad: Array<[unknown, RegExp]> = [
    ['abc', /must be an array/],
    [[0], /positive integer/],
    [[-1], /positive integer/],
    [[1.5], /positive integer/],
    [[Number.NaN], /positive integer/],
    [[''], /must not be empty/],
    [[{ d: 0 }], /positive integer/],
    [[{ d: true }], /positive integer/],
    [[{ d: '' }], /must not be empty/],
    [[{ d: 1, x: 2 }], /exactly/],
    [[{ i: 'x' }], /exactly/],
    [[null], /expected a number/],
    [[[1]], /expected a number/],
    [[true], /expected a number/],
    [['\uD83D'], /lone surrogate/],
    [['a\uDE00'], /lone surrogate/],
  ];
  for (const [op, message] of bad) {
    it(`refuses ${JSON.stringify(op)}`, () => {
      expect(() => checkOp(op)).toThrow(message);
      expect(() => checkOp(op)).toThrow(OTError);
    });
  }

  it('refuses random junk without crashing', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          checkOp(value);
          expect(Array.isArray(value)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(OTError);
        }
      }),
      runs(3_000),
    );
  });

  it('isNoop', () => {
    expect(isNoop([])).toBe(true);
    expect(isNoop([5])).toBe(true);
    expect(isNoop([5, 'a'] as Op)).toBe(false);
  });
});
