/**
 * Minimal single-region diff between two strings, as an op counting Unicode code points.
 * Used only where no history exists (full snapshots): it finds the common prefix and suffix and
 * replaces the middle, which is exact for one contiguous edit and a valid (if coarse) op otherwise.
 */
import { normalize, type Op } from '@jd-collab/ot';

export function diffOp(from: string, to: string): Op {
  if (from === to) return [];
  const a = Array.from(from);
  const b = Array.from(to);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const deleted = a.length - prefix - suffix;
  const inserted = b.slice(prefix, b.length - suffix).join('');
  const op: Op = [];
  if (prefix > 0) op.push(prefix);
  if (deleted > 0) op.push({ d: deleted });
  if (inserted.length > 0) op.push(inserted);
  return normalize(op);
}
