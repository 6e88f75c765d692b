/** Applying an op to a plain string, with validation. */
import { checkOp, deleteLength, type Op, OTError } from './op.js';
import { advanceCodePoints, codePointLength, hasSurrogates } from './unicode.js';

function doesNotFit(needed: number, doc: string): OTError {
  return new OTError(
    'OP_DOES_NOT_FIT',
    `op reaches code point ${needed} but the document has only ${codePointLength(doc)}`,
  );
}

/**
 * Applies `op` to `doc` and returns the new document. Throws OTError: INVALID_OP for a malformed
 * op, OP_DOES_NOT_FIT when it retains or deletes past the end of `doc`. Never returns a partly
 * applied result.
 */
export function apply(doc: string, op: Op): string {
  checkOp(op);
  const astral = hasSurrogates(doc);
  const parts: string[] = [];
  let at = 0; // UTF-16 index into doc
  let consumed = 0; // code points of doc consumed so far
  for (const c of op) {
    if (typeof c === 'string') {
      parts.push(c);
      continue;
    }
    const n = typeof c === 'number' ? c : deleteLength(c);
    const end = astral ? advanceCodePoints(doc, at, n) : at + n;
    consumed += n;
    if (end < 0 || end > doc.length) throw doesNotFit(consumed, doc);
    if (typeof c === 'number') parts.push(doc.slice(at, end));
    else if (typeof c.d === 'string' && doc.slice(at, end) !== c.d) {
      throw new OTError(
        'OP_DOES_NOT_FIT',
        `the text deleted at code point ${consumed - n} is not the text the op names`,
      );
    }
    at = end;
  }
  parts.push(doc.slice(at));
  return parts.join('');
}
