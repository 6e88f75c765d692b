/**
 * The editor edge of the unit conversion. CodeMirror counts UTF-16 code units; the protocol and the
 * OT engine count Unicode code points ("👩‍💻" is 5 UTF-16 units but 3 code points). Every position
 * that crosses between the editor and the client library is converted here, and nowhere else.
 *
 * - `changeSetToOp`: one CodeMirror transaction (a ChangeSet over the document before it) → one op.
 * - `opToChangeSpecs`: one op (on the client's text, which equals the editor's) → CodeMirror changes.
 */
import type { ChangeSet, Text } from '@codemirror/state';
import { diffOp } from '@jd-collab/client';
import { codePointLength, deleteLength, normalize, type Op } from '@jd-collab/ot';

export interface ChangeSpecUtf16 {
  from: number;
  to?: number;
  insert?: string;
}

function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** True when UTF-16 offset `pos` of `s` falls between the two halves of a surrogate pair. */
export function splitsSurrogatePair(s: string, pos: number): boolean {
  return pos > 0 && pos < s.length && isHigh(s.charCodeAt(pos - 1)) && isLow(s.charCodeAt(pos));
}

/**
 * The op equivalent to `changes`, which turn `before` into `after`. Positions are converted by
 * walking the document once. In the rare case where a change boundary cuts a surrogate pair in two
 * (possible with programmatic edits, never with normal typing), the exact op in code points is a
 * different shape, so the op is computed from the two texts instead; if that leaves half a
 * character (a lone surrogate, not valid Unicode, refused by the protocol) it throws OTError
 * INVALID_OP, and the caller puts the editor back to the client's text.
 */
export function changeSetToOp(changes: ChangeSet, before: Text, after: Text): Op {
  const oldText = before.toString();
  const newText = after.toString();
  let unsafe = false;
  changes.iterChangedRanges((fromA, toA, fromB, toB) => {
    if (
      splitsSurrogatePair(oldText, fromA) ||
      splitsSurrogatePair(oldText, toA) ||
      splitsSurrogatePair(newText, fromB) ||
      splitsSurrogatePair(newText, toB)
    ) {
      unsafe = true;
    }
  });
  if (unsafe) return diffOp(oldText, newText);

  const op: Op = [];
  let utf16 = 0; // how far into oldText the op has got, in UTF-16 units
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    const retain = codePointLength(oldText.slice(utf16, fromA));
    if (retain > 0) op.push(retain);
    const deleted = codePointLength(oldText.slice(fromA, toA));
    if (deleted > 0) op.push({ d: deleted });
    const text = inserted.toString();
    if (text.length > 0) op.push(text);
    utf16 = toA;
  });
  return normalize(op);
}

/**
 * CodeMirror change specs (UTF-16 positions in `doc`, all relative to the document before the
 * change, sorted) that perform `op` on `doc`. Throws RangeError when the op does not fit the text,
 * which means the editor and the client disagree: the caller then replaces the whole text.
 */
export function opToChangeSpecs(op: Op, doc: string): ChangeSpecUtf16[] {
  const specs: ChangeSpecUtf16[] = [];
  let pos = 0; // UTF-16 offset in doc
  const advance = (codePoints: number): number => {
    let i = pos;
    for (let n = 0; n < codePoints; n++) {
      if (i >= doc.length) throw new RangeError(`op reaches past the end of the text (${doc.length} units)`);
      i += isHigh(doc.charCodeAt(i)) && i + 1 < doc.length && isLow(doc.charCodeAt(i + 1)) ? 2 : 1;
    }
    return i;
  };
  // An insert right after a delete at the same place (or the reverse) becomes one replace spec.
  const add = (spec: ChangeSpecUtf16): void => {
    const last = specs[specs.length - 1];
    const lastEnd = last === undefined ? -1 : (last.to ?? last.from);
    if (last !== undefined && lastEnd === spec.from && (last.insert === undefined || spec.to === undefined)) {
      if (spec.to !== undefined) last.to = spec.to;
      if (spec.insert !== undefined) last.insert = (last.insert ?? '') + spec.insert;
      return;
    }
    specs.push(spec);
  };
  for (const component of op) {
    if (typeof component === 'number') {
      pos = advance(component);
    } else if (typeof component === 'string') {
      add({ from: pos, insert: component });
    } else {
      const end = advance(deleteLength(component));
      add({ from: pos, to: end });
      pos = end;
    }
  }
  return specs;
}
