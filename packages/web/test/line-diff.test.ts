import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, splitLines, summarize, withContext } from '../src/history/line-diff.js';

const kinds = (oldText: string, newText: string) =>
  diffLines(oldText, newText).map(
    (l) => `${l.kind === 'same' ? ' ' : l.kind === 'added' ? '+' : '-'}${l.text}`,
  );

/** Longest common subsequence length, the naive way, to check the diff is minimal. */
function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

describe('line diff', () => {
  it('marks added, removed and unchanged lines', () => {
    expect(
      kinds('# Role\nIntro\n## Skills\n- SQL', '# Role\nBetter intro\n## Skills\n- SQL\n- Python'),
    ).toEqual([' # Role', '-Intro', '+Better intro', ' ## Skills', ' - SQL', '+- Python']);
  });

  it('handles empty texts and trailing newlines', () => {
    expect(kinds('', '')).toEqual([]);
    expect(kinds('', 'a\n')).toEqual(['+a']);
    expect(kinds('a\nb\n', 'a\nb')).toEqual([' a', ' b']);
    expect(splitLines('a\r\nb\n')).toEqual(['a', 'b']);
  });

  it('numbers lines in both texts', () => {
    const diff = diffLines('a\nb\nc', 'a\nx\nc');
    expect(diff).toEqual([
      { kind: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'removed', text: 'b', oldLine: 2 },
      { kind: 'added', text: 'x', newLine: 2 },
      { kind: 'same', text: 'c', oldLine: 3, newLine: 3 },
    ]);
    expect(summarize(diff)).toEqual({ added: 1, removed: 1 });
  });

  it('rebuilds both texts and keeps a longest common subsequence (property)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', '', '- x', '🎉'), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const diff = diffLines(a.join('\n'), b.join('\n'));
        const oldSide = diff.filter((l) => l.kind !== 'added').map((l) => l.text);
        const newSide = diff.filter((l) => l.kind !== 'removed').map((l) => l.text);
        const split = (x: string[]) => splitLines(x.join('\n'));
        expect(oldSide).toEqual(split(a));
        expect(newSide).toEqual(split(b));
        expect(diff.filter((l) => l.kind === 'same').length).toBe(lcsLength(split(a), split(b)));
      }),
      { numRuns: 300 },
    );
  });

  it('folds long unchanged runs, keeping context around changes', () => {
    const old = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const next = [...old];
    next[10] = 'changed';
    const rows = withContext(diffLines(old.join('\n'), next.join('\n')), 2);
    expect(rows.map((r) => (r.kind === 'fold' ? `…${r.hidden}` : r.kind))).toEqual([
      '…8',
      'same',
      'same',
      'removed',
      'added',
      'same',
      'same',
      '…7',
    ]);
  });
});
