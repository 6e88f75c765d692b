/**
 * A line diff between two texts, for "what changed since this version". Longest common
 * subsequence over lines: O(n·m) time and memory after trimming the common head and tail, which is
 * instant for job descriptions (a few hundred lines). Beyond `MAX_CELLS` the middle is shown as
 * one replaced block rather than freezing the tab.
 */

export type DiffLine =
  | { kind: 'same'; text: string; oldLine: number; newLine: number }
  | { kind: 'removed'; text: string; oldLine: number }
  | { kind: 'added'; text: string; newLine: number };

export interface DiffSummary {
  added: number;
  removed: number;
}

const MAX_CELLS = 4_000_000;

/** Splits on \n (and \r\n); a trailing newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;

  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: i + 1 });
  out.push(...diffMiddle(a.slice(head, a.length - tail), b.slice(head, b.length - tail), head));
  for (let k = tail; k > 0; k--) {
    const i = a.length - k;
    const j = b.length - k;
    out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
  }
  return out;
}

/** LCS table from the end, then a forward walk that prefers removals before additions. */
function diffMiddle(a: string[], b: string[], offset: number): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const out: DiffLine[] = [];
  if (n * m > MAX_CELLS) {
    for (let i = 0; i < n; i++) out.push({ kind: 'removed', text: a[i]!, oldLine: offset + i + 1 });
    for (let j = 0; j < m; j++) out.push({ kind: 'added', text: b[j]!, newLine: offset + j + 1 });
    return out;
  }
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]!, oldLine: offset + i + 1, newLine: offset + j + 1 });
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      out.push({ kind: 'removed', text: a[i]!, oldLine: offset + i + 1 });
      i++;
    } else {
      out.push({ kind: 'added', text: b[j]!, newLine: offset + j + 1 });
      j++;
    }
  }
  return out;
}

export function summarize(diff: readonly DiffLine[]): DiffSummary {
  let added = 0;
  let removed = 0;
  for (const line of diff) {
    if (line.kind === 'added') added++;
    else if (line.kind === 'removed') removed++;
  }
  return { added, removed };
}

/** Unchanged runs longer than `2 * context` lines fold to their edges, like a unified diff. */
export type DiffRow = DiffLine | { kind: 'fold'; hidden: number };

export function withContext(diff: readonly DiffLine[], context = 2): DiffRow[] {
  const rows: DiffRow[] = [];
  let run: DiffLine[] = [];
  const flush = (atStart: boolean, atEnd: boolean): void => {
    const keepBefore = atStart ? 0 : context;
    const keepAfter = atEnd ? 0 : context;
    if (run.length > keepBefore + keepAfter + 1) {
      rows.push(...run.slice(0, keepBefore));
      rows.push({ kind: 'fold', hidden: run.length - keepBefore - keepAfter });
      rows.push(...run.slice(run.length - keepAfter));
    } else {
      rows.push(...run);
    }
    run = [];
  };
  let seenChange = false;
  for (const line of diff) {
    if (line.kind === 'same') {
      run.push(line);
      continue;
    }
    flush(!seenChange, false);
    seenChange = true;
    rows.push(line);
  }
  flush(!seenChange, true);
  return rows;
}
