/**
 * Transformation: given two ops made concurrently on the same document, rewrite one so that it
 * applies after the other and both sites converge (TP1):
 *
 *   apply(apply(doc, a), transform(b, a, 'right')) === apply(apply(doc, b), transform(a, b, 'left'))
 *
 * Unlike the design document's simplified version, every case is handled: an insert inside a
 * range the other op deletes survives (at the start of the deleted range), overlapping and
 * nested deletes delete each code point once, and two inserts at one position are ordered by
 * `side`. The server derives `side` from commit order: what was committed first is 'left'.
 */
import { append, baseLengthOf, type Op, type Side, trim } from './op.js';
import { OpReader } from './op-reader.js';
import { codePointLength } from './unicode.js';

function checkSide(side: Side): void {
  if (side !== 'left' && side !== 'right')
    throw new TypeError(`side must be 'left' or 'right', got ${String(side)}`);
}

/** Rewrites `op` to apply after `other` (both made against the same document). */
export function transform(op: Op, other: Op, side: Side): Op {
  checkSide(side);
  const out: Op = [];
  const reader = new OpReader(op);
  for (const c of other) {
    if (typeof c === 'number') {
      // Text both keep: copy op's components over it (op's inserts come along whole).
      let n = c;
      while (n > 0) {
        const piece = reader.take(n, 'insert')!;
        append(out, piece);
        n -= baseLengthOf(piece);
      }
    } else if (typeof c === 'string') {
      // Text the other op inserted: op keeps it. On a tie the left side's insert goes first.
      while (side === 'left' && reader.peekType() === 'insert') append(out, reader.take(-1, 'insert')!);
      append(out, codePointLength(c));
    } else {
      // Text the other op deleted: op's retains and deletes over it vanish, its inserts stay.
      let n = baseLengthOf(c);
      while (n > 0) {
        const piece = reader.take(n, 'insert')!;
        if (typeof piece === 'string') append(out, piece);
        else n -= baseLengthOf(piece);
      }
    }
  }
  for (let piece = reader.take(-1, 'insert'); piece !== null; piece = reader.take(-1, 'insert')) {
    append(out, piece);
  }
  return trim(out);
}

/** Where a position lands: 'before' keeps it in front of text inserted exactly there. */
export type Assoc = 'before' | 'after';

/** Maps a code-point position in the document before `op` to the document after it. */
export function transformPosition(pos: number, op: Op, assoc: Assoc = 'before'): number {
  let oldPos = 0;
  let newPos = 0;
  for (const c of op) {
    if (typeof c === 'number') {
      if (pos < oldPos + c) return newPos + (pos - oldPos);
      oldPos += c;
      newPos += c;
    } else if (typeof c === 'string') {
      if (pos === oldPos && assoc === 'before') return newPos;
      newPos += codePointLength(c);
    } else {
      // A position inside deleted text collapses to where the deletion happened.
      const n = baseLengthOf(c);
      if (pos < oldPos + n) return newPos;
      oldPos += n;
    }
  }
  return newPos + (pos - oldPos);
}

export interface Selection {
  anchor: number;
  head: number;
}

/**
 * Maps a selection through `op`. A collapsed selection (a caret) stays in front of text inserted
 * at it; a range does not grow to take in text inserted at its edges.
 */
export function transformSelection(sel: Selection, op: Op): Selection {
  if (sel.anchor === sel.head) {
    const p = transformPosition(sel.anchor, op, 'before');
    return { anchor: p, head: p };
  }
  const forward = sel.anchor < sel.head;
  const from = transformPosition(forward ? sel.anchor : sel.head, op, 'after');
  const to = Math.max(from, transformPosition(forward ? sel.head : sel.anchor, op, 'before'));
  return forward ? { anchor: from, head: to } : { anchor: to, head: from };
}

/**
 * Rewrites `op` to apply after every op of `others` in turn (each made against the document the
 * previous one produced): the same as folding `transform` over them, which is what rebasing a
 * change onto the changes committed since its base does. `from` skips the first ops (so a caller
 * can pass a long list it keeps, without copying its tail).
 *
 * Fast path: a single insert (`[p, text]` or `[text]`), which is what typing produces, only needs
 * its position moved through each op (`transformPosition`, ties by `side`): no allocation per op.
 * A server rebasing every keystroke over hundreds of later changes spends most of its time here.
 */
export function transformOver(
  op: Op,
  others: readonly Op[],
  side: Side | ((index: number) => Side),
  from = 0,
): Op {
  // `side` per op (by index into `others`) when ties depend on who wrote each one (tie-break.ts).
  const sideOf = typeof side === 'function' ? side : null;
  if (sideOf === null) checkSide(side as Side);
  const insert = singleInsert(op);
  if (insert === null) {
    let out = op;
    for (let i = from; i < others.length; i++)
      out = transform(out, others[i]!, sideOf ? sideOf(i) : (side as Side));
    return out;
  }
  // 'right' goes after an insert at the same position, like transformPosition's 'after'.
  const fixed: Assoc = side === 'right' ? 'after' : 'before';
  let position = insert.position;
  for (let i = from; i < others.length; i++) {
    const assoc: Assoc = sideOf ? (sideOf(i) === 'right' ? 'after' : 'before') : fixed;
    position = transformPosition(position, others[i]!, assoc);
  }
  return insertAt(position, insert.text);
}

/** The op inserting `text` at `position` (normalized: no zero retain). */
export function insertAt(position: number, text: string): Op {
  return position === 0 ? [text] : [position, text];
}

/**
 * `{ position, text }` when the op is one non-empty insert (normalized: no trailing retain), which
 * is what typing produces; null for any other op.
 */
export function singleInsert(op: Op): { position: number; text: string } | null {
  if (op.length === 1 && typeof op[0] === 'string' && op[0] !== '') return { position: 0, text: op[0] };
  if (op.length === 2 && typeof op[0] === 'number' && typeof op[1] === 'string' && op[1] !== '') {
    return { position: op[0], text: op[1] };
  }
  return null;
}
