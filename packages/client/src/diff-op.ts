/**
 * The op that turns one text into another, when no history says how (a full snapshot, edits
 * rolled back): a real multi-hunk diff from jsdiff, counted in Unicode code points like every op.
 *
 * Why not "common prefix + common suffix, replace the middle": pending edits are rebased over this
 * op, and a one-hunk diff turns everything between the first and the last difference into one
 * replaced region, so every pending insert inside it collapsed to one point, often inside text
 * someone else had typed (issue 25). With a minimal multi-hunk diff, text both versions share stays
 * shared and a pending insert stays beside the text it was typed next to.
 *
 * Cost: a character diff is O((N + M) · D). It gets a time budget; past it (thousands of scattered
 * differences in a long text) the texts are diffed by line first and the changed lines by
 * character, which keeps the result multi-hunk and the time bounded.
 */
import { codePointLength, normalize, type Op } from '@jd-collab/ot';
import { type ChangeObject, diffChars, diffLines } from 'diff';

/** Time budget of one character diff, ms. */
const CHAR_DIFF_BUDGET_MS = 250;

export function diffOp(from: string, to: string): Op {
  if (from === to) return [];
  const parts = diffChars(from, to, { timeout: CHAR_DIFF_BUDGET_MS }) ?? byLinesThenChars(from, to);
  const op: Op = [];
  for (const part of parts) {
    if (part.added) op.push(part.value);
    else if (part.removed) op.push({ d: codePointLength(part.value) });
    else op.push(codePointLength(part.value));
  }
  return normalize(op);
}

/** Line diff, then a character diff inside each run of replaced lines. */
function byLinesThenChars(from: string, to: string): ChangeObject<string>[] {
  const lines = diffLines(from, to);
  const parts: ChangeObject<string>[] = [];
  for (let i = 0; i < lines.length; i++) {
    const part = lines[i]!;
    const next = lines[i + 1];
    if (part.removed && next?.added) {
      parts.push(...(diffChars(part.value, next.value, { timeout: CHAR_DIFF_BUDGET_MS }) ?? [part, next]));
      i++;
    } else {
      parts.push(part);
    }
  }
  return parts;
}
