/**
 * Length (retext plugin, rule `word-count`): postings of roughly 300-700 words get the most
 * applications (Textio and LinkedIn Talent Solutions analyses, docs/checks.md). Counts prose words
 * only: headings, code and markup are not read as text.
 */
import type { Root } from 'nlcst';
import type { VFile } from 'vfile';
import { contextOf } from '../context.js';
import { documentAnchor } from '../markdown/outline.js';
import { proseSentences } from '../text/prose.js';

export default function wordCount() {
  return (tree: Root, file: VFile) => {
    const context = contextOf(file);
    const { minWords, maxWords } = context.options.thresholds;
    const words = proseSentences(tree).flatMap((s) => s.words);
    const count = words.length;
    if (count < minWords) {
      context.findings.push({
        rule: 'word-count',
        category: 'structure',
        severity: 'warning',
        ...documentAnchor(context.outline),
        message: `${count} words: shorter than ${minWords}; applicants need enough to decide.`,
        suggestions: [],
      });
    } else if (count > maxWords) {
      // Point at the prose past the limit: that is what a reader would not reach.
      context.findings.push({
        rule: 'word-count',
        category: 'structure',
        severity: 'warning',
        from: words[maxWords]!.start,
        to: words[count - 1]!.end,
        message: `${count} words: longer than ${maxWords}; long postings are skimmed, not read.`,
        suggestions: [],
      });
    }
  };
}
