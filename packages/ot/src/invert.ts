/** Inversion, for undo. */
import { append, checkOp, deleteLength, type Op, OTError, trim } from './op.js';
import { advanceCodePoints } from './unicode.js';

/**
 * The op that undoes `op`. `doc` is the document `op` was applied to; it may be left out when
 * every delete of `op` carries its text (see `makeInvertible`).
 */
export function invert(op: Op, doc?: string): Op {
  checkOp(op);
  const out: Op = [];
  let at = 0;
  for (const c of op) {
    if (typeof c === 'string') {
      append(out, { d: c });
    } else if (typeof c === 'object' && typeof c.d === 'string') {
      append(out, c.d);
      if (doc !== undefined) at = advance(doc, at, deleteLength(c));
    } else {
      const n = typeof c === 'number' ? c : deleteLength(c);
      if (doc === undefined) {
        if (typeof c === 'number') {
          append(out, n);
          continue;
        }
        throw new OTError(
          'INVALID_OP',
          'cannot invert a delete without its text: pass the document or makeInvertible() first',
        );
      }
      const end = advance(doc, at, n);
      append(out, typeof c === 'number' ? n : doc.slice(at, end));
      at = end;
    }
  }
  return trim(out);
}

function advance(doc: string, at: number, n: number): number {
  const end = advanceCodePoints(doc, at, n);
  if (end < 0)
    throw new OTError('OP_DOES_NOT_FIT', 'op reaches past the end of the document it is inverted against');
  return end;
}

/** The same op with every delete carrying the text it removes from `doc`, so it inverts alone. */
export function makeInvertible(op: Op, doc: string): Op {
  checkOp(op);
  const out: Op = [];
  let at = 0;
  for (const c of op) {
    if (typeof c === 'string') {
      append(out, c);
      continue;
    }
    const n = typeof c === 'number' ? c : deleteLength(c);
    const end = advance(doc, at, n);
    append(out, typeof c === 'number' ? c : { d: doc.slice(at, end) });
    at = end;
  }
  return trim(out);
}

/** Drops the deleted text from deletes (the compact form used on the wire). */
export function stripInvertible(op: Op): Op {
  checkOp(op);
  const out: Op = [];
  for (const c of op) append(out, typeof c === 'object' ? { d: deleteLength(c) } : c);
  return trim(out);
}
