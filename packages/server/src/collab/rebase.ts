/**
 * The pure "accept or rebase" step of the commit pipeline (compare @codemirror/collab
 * `rebaseUpdates` and sharedb's submit-request): given a change made against `baseVersion` and
 * every change after that base, in order, it returns the change rewritten to apply at the tip.
 *
 * Ties between inserts at one position are broken by commit order, never by timestamps: what was
 * committed first is 'left', so the incoming op is transformed as 'right'.
 */
import { baseLength, lengthChange, type Op, transform } from '@jd-collab/ot';

export interface RebaseInput {
  changeId: string;
  baseVersion: number;
  op: Op;
}

/** A change after the base (committed, or staged earlier in the same group commit). */
export interface LaterChange {
  version: number;
  changeId: string;
  op: Op;
}

export type RebaseOutcome =
  | { kind: 'rebased'; op: Op; transforms: number }
  /** The same changeId is already among the later changes: a retry, answered with its version. */
  | { kind: 'duplicate'; version: number }
  | { kind: 'invalid'; message: string };

/**
 * @param later   every change with version > change.baseVersion, oldest first
 * @param tipLength the document length (code points) after the last of `later`
 */
export function rebaseChange(
  change: RebaseInput,
  later: readonly LaterChange[],
  tipLength: number,
): RebaseOutcome {
  for (const c of later) if (c.changeId === change.changeId) return { kind: 'duplicate', version: c.version };

  // Length of the document the op was made for, found by undoing the later changes' growth.
  let baseDocLength = tipLength;
  for (const c of later) baseDocLength -= lengthChange(c.op);
  const needed = baseLength(change.op);
  if (needed > baseDocLength) {
    return {
      kind: 'invalid',
      message: `op reaches code point ${needed} but the document at version ${change.baseVersion} has only ${baseDocLength}`,
    };
  }

  let op = change.op;
  for (const c of later) op = transform(op, c.op, 'right');
  return { kind: 'rebased', op, transforms: later.length };
}
