/** A line diff as a unified view: removed lines red with "−", added green with "+", long unchanged runs folded. */
import { useMemo } from 'react';
import { plural } from '../ui/format.js';
import { diffLines, summarize, withContext } from './line-diff.js';

export function DiffView({ before, after }: { before: string; after: string }) {
  const diff = useMemo(() => diffLines(before, after), [before, after]);
  const rows = useMemo(() => withContext(diff, 2), [diff]);
  const { added, removed } = summarize(diff);
  if (added === 0 && removed === 0) {
    return <p className="empty-state">No changes: the current text is the same as this version.</p>;
  }
  return (
    <div className="diff">
      <p className="diff-summary">
        <span className="diff-added-count">+{plural(added, 'line')} added</span>
        <span className="diff-removed-count">−{plural(removed, 'line')} removed</span>
      </p>
      <ol className="diff-lines" aria-label="Changed lines">
        {rows.map((row, i) => {
          if (row.kind === 'fold') {
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are recomputed as a whole
              <li key={i} className="diff-fold">
                ⋯ {plural(row.hidden, 'unchanged line')}
              </li>
            );
          }
          const sign = row.kind === 'added' ? '+' : row.kind === 'removed' ? '−' : ' ';
          const label = row.kind === 'added' ? 'Added: ' : row.kind === 'removed' ? 'Removed: ' : '';
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are recomputed as a whole
            <li key={i} className={`diff-line diff-${row.kind}`}>
              <span className="diff-sign" aria-hidden="true">
                {sign}
              </span>
              <span className="visually-hidden">{label}</span>
              <span className="diff-text">{row.text === '' ? '\u00a0' : row.text}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
