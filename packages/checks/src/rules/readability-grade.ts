/**
 * Readability (retext plugin, rule `readability-grade`): the Flesch-Kincaid grade of the prose
 * against a target (default 12). Also records the grade and word count for the report.
 */
import type { Root } from 'nlcst';
import type { VFile } from 'vfile';
import { contextOf } from '../context.js';
import { proseSentences } from '../text/prose.js';
import { gradeOf } from '../text/readability.js';

export default function readabilityGrade() {
  return (tree: Root, file: VFile) => {
    const context = contextOf(file);
    const sentences = proseSentences(tree);
    const grade = gradeOf(sentences);
    const words = sentences.reduce((n, s) => n + s.words.length, 0);
    context.readability = { grade, words };
    const target = context.options.thresholds.targetGrade;
    if (grade <= target || sentences.length === 0) return;
    // Point at the longest sentence: splitting it is the first fix (first one wins a tie).
    const longest = sentences.reduce((a, b) => (b.words.length > a.words.length ? b : a));
    context.findings.push({
      rule: 'readability-grade',
      category: 'structure',
      severity: 'warning',
      from: longest.start,
      to: longest.end,
      message: `Reading grade ${grade} is above the target ${target}; the longest sentence (${longest.words.length} words) is the first to split.`,
      suggestions: [],
    });
  };
}
