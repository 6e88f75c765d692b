/**
 * The pure "accept or rebase" step of the commit pipeline (compare @codemirror/collab
 * `rebaseUpdates` and sharedb's submit-request): given a change made against `baseVersion` and
 * every change after that base, in order, it returns the change rewritten to apply at the tip.
 *
 * Ties between inserts at one position go by author (@jd-collab/ot tieSide: the author whose user
 * id sorts first goes left; between one author's changes, what was committed first), never by
 * timestamps, so two people typing at one spot each keep their run of text contiguous. The client
 * breaks ties the same way.
 *
 * Under load many changes of one commit group share a base (everyone has seen the same recent
 * versions), so the work that depends only on the base (the later ops, the document length at
 * the base) is prepared once per base (`prepareBase`, or by the pipeline from the history without
 * copying), then each change is checked and transformed over it (`rebaseOnto`, with the OT
 * engine's single-insert fast path).
 */
import {
  baseLength,
  insertAt,
  lengthChange,
  type Op,
  singleInsert,
  tieSide,
  transformOver,
  transformPosition,
} from '@jd-collab/ot';

/** A change after the base (committed, or staged earlier in the same group commit). */
export interface LaterChange {
  version: number;
  changeId: string;
  userId: string;
  op: Op;
}

export type RebaseOutcome =
  | { kind: 'rebased'; op: Op; transforms: number }
  | { kind: 'invalid'; message: string };

/** What every change made at one base version is rebased over. */
export interface RebaseBase {
  baseVersion: number;
  /** The ops committed after the base, oldest first: `ops[from..]`. */
  ops: readonly Op[];
  from: number;
  /** When known (from the history): per op, its insert position if it is one insert, else -1. */
  insertAt?: readonly number[];
  insertLength?: readonly number[];
  /** Per op: its author (user id), for ties. */
  authors: readonly string[];
  /** The document length (code points) at the base version. */
  baseLength: number;
}

/**
 * @param later   every change with version > baseVersion, oldest first
 * @param tipLength the document length (code points) after the last of `later`
 */
export function prepareBase(
  baseVersion: number,
  later: readonly LaterChange[],
  tipLength: number,
): RebaseBase {
  const ops: Op[] = new Array(later.length);
  const authors: string[] = new Array(later.length);
  // Length of the document the ops were made for, found by undoing the later changes' growth.
  let length = tipLength;
  for (let i = 0; i < later.length; i++) {
    const op = later[i]!.op;
    ops[i] = op;
    authors[i] = later[i]!.userId;
    length -= lengthChange(op);
  }
  return { baseVersion, ops, from: 0, authors, baseLength: length };
}

/**
 * Rebases an op made at `base.baseVersion` over the base's later ops, then over `staged` (the
 * ops accepted earlier in the same group, which apply after them). The caller has already made
 * sure the changeId is not among them (the history and the group know their ids).
 */
export function rebaseOnto(
  op: Op,
  author: string,
  base: RebaseBase,
  staged: readonly Op[],
  stagedAuthors: readonly string[],
): RebaseOutcome {
  const needed = baseLength(op);
  if (needed > base.baseLength) {
    return {
      kind: 'invalid',
      message: `op reaches code point ${needed} but the document at version ${base.baseVersion} has only ${base.baseLength}`,
    };
  }
  const overBase =
    typedInsertOverBase(op, author, base) ??
    transformOver(op, base.ops, (i) => tieSide(author, base.authors[i]!), base.from);
  const rebased = transformOver(overBase, staged, (i) => tieSide(author, stagedAuthors[i]!));
  return { kind: 'rebased', op: rebased, transforms: base.ops.length - base.from + staged.length };
}

/**
 * A typed insert (`[p, text]` or `[text]`) over the base's ops when their insert shapes are known:
 * over a later insert at q of length n the position moves by n when q < p, or q = p and the tie
 * puts the incoming change on the right (tieSide); anything else goes through transformPosition.
 * Equal to transformOver's fast path (tested against it), without touching the ops themselves:
 * under load a change crosses hundreds of later changes. Null: not a typed insert.
 */
function typedInsertOverBase(op: Op, author: string, base: RebaseBase): Op | null {
  const { insertAt: at, insertLength, ops, authors } = base;
  const insert = singleInsert(op);
  if (at === undefined || insertLength === undefined || insert === null) return null;
  let position = insert.position;
  for (let i = base.from; i < ops.length; i++) {
    const q = at[i]!;
    // Who wins a tie is asked only when there is one (a string comparison per later op otherwise).
    if (q < 0) {
      const side = tieSide(author, authors[i]!) === 'right' ? 'after' : 'before';
      position = transformPosition(position, ops[i]!, side);
    } else if (q < position || (q === position && tieSide(author, authors[i]!) === 'right')) {
      position += insertLength[i]!;
    }
  }
  return insertAt(position, insert.text);
}
