/** fast-check generators for documents and ops, with emoji, combining marks and CJK text. */
import fc from 'fast-check';
import { codePointLength, type Op } from '../src/index.js';

/** One seed for the whole suite (override with FC_SEED to explore); failures print theirs. */
export const SEED = Number(process.env.FC_SEED ?? 20261126);
export const runs = (n: number) => ({ seed: SEED, numRuns: n });

const UNITS = ['a', 'b', 'c', 'x', ' ', '\n', 'é', 'e\u0301', '中', '文', '😀', '👍🏽', '🇫🇷', 'Ω', '\u200d'];

/** Text made of awkward units: astral emoji (surrogate pairs), combining marks, CJK, newlines. */
export const textArb = (maxUnits = 12) =>
  fc.array(fc.constantFrom(...UNITS), { maxLength: maxUnits }).map((parts) => parts.join(''));

export const nonEmptyTextArb = (maxUnits = 6) =>
  fc.array(fc.constantFrom(...UNITS), { minLength: 1, maxLength: maxUnits }).map((parts) => parts.join(''));

type Step = [kind: number, size: number, text: string];
const stepsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat(), nonEmptyTextArb(4)), {
  maxLength: 8,
});

/** Builds an op that fits a document of `length` code points from random steps (may be unnormalized). */
export function buildOp(length: number, steps: Step[], normalized = true): Op {
  const op: Op = [];
  let pos = 0;
  for (const [kind, size, text] of steps) {
    const room = length - pos;
    if (kind === 0 && room > 0) {
      const n = 1 + (size % room);
      op.push(n);
      pos += n;
    } else if (kind === 1 && room > 0) {
      const n = 1 + (size % Math.min(room, 5));
      op.push({ d: n });
      pos += n;
    } else {
      op.push(text);
    }
  }
  if (!normalized) return op;
  // Hand-normalize the cheap way: merge neighbours and drop trailing retains, inserts before deletes.
  const out: Op = [];
  for (const c of op) {
    const last = out[out.length - 1];
    if (typeof c === 'number' && typeof last === 'number') out[out.length - 1] = last + c;
    else if (typeof c === 'string' && typeof last === 'string') out[out.length - 1] = last + c;
    else if (typeof c === 'object' && typeof last === 'object')
      out[out.length - 1] = { d: (last.d as number) + (c.d as number) };
    else if (typeof c === 'string' && typeof last === 'object') {
      const before = out[out.length - 2];
      if (typeof before === 'string') out[out.length - 2] = before + c;
      else out.splice(out.length - 1, 0, c);
    } else out.push(c);
  }
  while (typeof out[out.length - 1] === 'number') out.pop();
  return out;
}

/** A document and one op that fits it. */
export const docAndOpArb = fc
  .record({ doc: textArb(), steps: stepsArb })
  .map(({ doc, steps }) => ({ doc, op: buildOp(codePointLength(doc), steps) }));

/** A document and two concurrent ops on it. */
export const docAndTwoOpsArb = fc
  .record({ doc: textArb(), a: stepsArb, b: stepsArb })
  .map(({ doc, a, b }) => ({
    doc,
    a: buildOp(codePointLength(doc), a),
    b: buildOp(codePointLength(doc), b),
  }));

/** A document, an op on it and a second op on the result (for compose). */
export const docAndSequentialOpsArb = fc
  .record({ doc: textArb(), a: stepsArb, b: stepsArb })
  .map(({ doc, a, b }) => ({ doc, a: buildOp(codePointLength(doc), a), bSteps: b }));

export { stepsArb };
