/**
 * The operation format, defined once.
 *
 * An operation is a list of components that walks the whole document from its start:
 *
 *   - a positive integer `n`   retains (skips over) n code points,
 *   - a non-empty string `s`   inserts s at the current position,
 *   - an object `{ d: n }`     deletes the next n code points (n > 0),
 *   - an object `{ d: s }`     deletes the next code points, which must equal s (invertible form).
 *
 * Whatever the components do not reach is retained, so trailing retains are dropped:
 * "Hello" -> "Hello World" is `[5, ' World']`; deleting "ell" is `[1, { d: 3 }]`.
 *
 * All lengths and positions count Unicode code points, never UTF-16 units, so that "😀" is one
 * character for a browser, a Python and a Go client alike, and no operation can split a
 * surrogate pair. Inserted text must be well-formed (no lone surrogates).
 *
 * The normalized form has no empty components, merges neighbours of the same kind, puts an
 * insert before a delete at the same position and has no trailing retain. Every function here
 * returns normalized operations. This is the JSON form in the style of ottypes/text-unicode.
 */
import { codePointLength, hasLoneSurrogate } from './unicode.js';

export type Retain = number;
export type Insert = string;
/**
 * A delete counts the code points it removes (`{d: 3}`) or, in the invertible form, carries the
 * text it removes (`{d: 'abc'}`); `makeInvertible` turns the first into the second.
 */
export interface Delete {
  d: number | string;
}
export type Component = Retain | Insert | Delete;
export type Op = Component[];
/** Which op wins a tie (two inserts at one position): 'left' goes first. */
export type Side = 'left' | 'right';

export type OTErrorCode = 'INVALID_OP' | 'OP_DOES_NOT_FIT';

export class OTError extends Error {
  readonly code: OTErrorCode;
  constructor(code: OTErrorCode, message: string) {
    super(message);
    this.name = 'OTError';
    this.code = code;
  }
}

export function isRetain(c: Component): c is Retain {
  return typeof c === 'number';
}
export function isInsert(c: Component): c is Insert {
  return typeof c === 'string';
}
export function isDelete(c: Component): c is Delete {
  return typeof c === 'object';
}

/** Code points of the original document that a component consumes. */
export function baseLengthOf(c: Component): number {
  if (typeof c === 'number') return c;
  if (typeof c === 'string') return 0;
  return deleteLength(c);
}

/** Code points a delete removes. */
export function deleteLength(c: Delete): number {
  return typeof c.d === 'number' ? c.d : codePointLength(c.d);
}

/** Code points a component produces in the new document. */
export function targetLengthOf(c: Component): number {
  if (typeof c === 'number') return c;
  if (typeof c === 'string') return codePointLength(c);
  return 0;
}

/** The shortest document (in code points) that `op` can apply to. */
export function baseLength(op: Op): number {
  let n = 0;
  for (const c of op) n += baseLengthOf(c);
  return n;
}

/** How much longer (positive) or shorter the document gets. */
export function lengthChange(op: Op): number {
  let n = 0;
  for (const c of op) {
    if (typeof c === 'string') n += codePointLength(c);
    else if (typeof c === 'object') n -= deleteLength(c);
  }
  return n;
}

/** True when the op changes nothing. */
export function isNoop(op: Op): boolean {
  for (const c of op) if (typeof c !== 'number' && targetLengthOf(c) + baseLengthOf(c) > 0) return false;
  return true;
}

const MAX_COUNT = Number.MAX_SAFE_INTEGER;

function describe(value: unknown): string {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
  } catch {
    return String(value);
  }
}

/**
 * Throws an OTError('INVALID_OP') unless `op` is a well-formed operation. Accepts any
 * unnormalized but meaningful form; rejects zero lengths, fractions, negative or unsafe numbers,
 * empty inserts, lone surrogates and unknown component shapes.
 */
export function checkOp(op: unknown): asserts op is Op {
  if (!Array.isArray(op)) throw new OTError('INVALID_OP', `op must be an array, got ${describe(op)}`);
  for (let i = 0; i < op.length; i++) {
    const c: unknown = op[i];
    if (typeof c === 'number') {
      if (!Number.isSafeInteger(c) || c <= 0 || c > MAX_COUNT) {
        throw new OTError(
          'INVALID_OP',
          `component ${i}: retain must be a positive integer, got ${describe(c)}`,
        );
      }
    } else if (typeof c === 'string') {
      if (c.length === 0) throw new OTError('INVALID_OP', `component ${i}: insert must not be empty`);
      if (hasLoneSurrogate(c)) {
        throw new OTError(
          'INVALID_OP',
          `component ${i}: insert contains a lone surrogate (not valid Unicode)`,
        );
      }
    } else if (c !== null && typeof c === 'object' && !Array.isArray(c)) {
      const keys = Object.keys(c);
      const d = (c as { d?: unknown }).d;
      if (keys.length !== 1 || keys[0] !== 'd') {
        throw new OTError(
          'INVALID_OP',
          `component ${i}: a delete must be exactly {"d": n}, got ${describe(c)}`,
        );
      }
      if (typeof d === 'string') {
        if (d.length === 0) throw new OTError('INVALID_OP', `component ${i}: deleted text must not be empty`);
        if (hasLoneSurrogate(d)) {
          throw new OTError('INVALID_OP', `component ${i}: deleted text contains a lone surrogate`);
        }
      } else if (typeof d !== 'number' || !Number.isSafeInteger(d) || d <= 0) {
        throw new OTError(
          'INVALID_OP',
          `component ${i}: delete count must be a positive integer, got ${describe(d)}`,
        );
      }
    } else {
      throw new OTError(
        'INVALID_OP',
        `component ${i}: expected a number, a string or {"d": n}, got ${describe(c)}`,
      );
    }
  }
}

/**
 * Appends a component to an op under construction, keeping it normalized (trailing retains are
 * removed by `trim`). An insert that follows a delete moves in front of it: both describe the
 * same edit, and one canonical order makes equal edits compare equal.
 */
export function append(op: Op, c: Component): void {
  if (typeof c === 'number') {
    if (c === 0) return;
    const last = op.length > 0 ? op[op.length - 1] : undefined;
    if (typeof last === 'number') op[op.length - 1] = last + c;
    else op.push(c);
  } else if (typeof c === 'string') {
    if (c.length === 0) return;
    const last = op.length > 0 ? op[op.length - 1] : undefined;
    if (typeof last === 'string') {
      op[op.length - 1] = last + c;
    } else if (typeof last === 'object') {
      const before = op.length > 1 ? op[op.length - 2] : undefined;
      if (typeof before === 'string') op[op.length - 2] = before + c;
      else op.splice(op.length - 1, 0, c);
    } else op.push(c);
  } else {
    if (c.d === 0 || c.d === '') return;
    const last = op.length > 0 ? op[op.length - 1] : undefined;
    if (typeof last === 'object') {
      // Two texts stay text (invertible); anything else merges to a count.
      op[op.length - 1] =
        typeof last.d === 'string' && typeof c.d === 'string'
          ? { d: last.d + c.d }
          : { d: deleteLength(last) + deleteLength(c) };
    } else op.push({ d: c.d });
  }
}

/** Drops trailing retains (in place) and returns the op. */
export function trim(op: Op): Op {
  while (op.length > 0 && typeof op[op.length - 1] === 'number') op.pop();
  return op;
}

/** The normalized form of `op` (a new array; `op` is left alone). Throws on malformed ops. */
export function normalize(op: Op): Op {
  checkOp(op);
  const out: Op = [];
  for (const c of op) append(out, c);
  return trim(out);
}
