/**
 * Is a resent change (same author, same changeId) really the change that was stored under that
 * id? Its op was made at `baseVersion`; rebased over the changes committed between that base and
 * the original (exactly what the commit path did to it the first time), it must equal the stored
 * op. A client reusing a changeId for different content (a bug, or an attempt to pass one edit off
 * as another) must not be acknowledged: the ack would tell it that an edit was kept that never was.
 *
 * A retry whose base already includes the original (a simple change without baseVersion, resent
 * after its ack arrived) cannot be rebased to the original's base; it counts as the same change
 * only if its op is the stored op itself.
 */
import { normalize, type Op, tieSide, transform } from '@jd-collab/ot';

export function isSameChange(
  op: Op,
  baseVersion: number,
  original: { readonly version: number; readonly op: Op; readonly userId: string },
  /** The changes of versions baseVersion+1 .. original.version-1, in order (ignored when not needed). */
  between: readonly { readonly op: Op; readonly userId: string }[],
): boolean {
  if (baseVersion >= original.version) return sameOp(op, original.op);
  let rebased = op;
  try {
    for (const later of between)
      rebased = transform(rebased, later.op, tieSide(original.userId, later.userId));
  } catch {
    return false; // does not even fit the document it claims to have been made on
  }
  return sameOp(rebased, original.op);
}

function sameOp(a: Op, b: Op): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}
