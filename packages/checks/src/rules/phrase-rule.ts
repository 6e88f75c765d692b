/** A retext plugin that reports every listed phrase found in the prose (one list per rule file). */
import type { Root } from 'nlcst';
import type { VFile } from 'vfile';
import { contextOf } from '../context.js';
import { compilePhrases, findPhrases } from '../text/phrase-matcher.js';
import { proseSentences } from '../text/prose.js';
import type { Category, Severity } from '../types.js';

export interface PhraseEntry {
  /** Words separated by spaces; a trailing `*` matches any word that starts with the token. */
  phrase: string;
  rule: string;
  category: Category;
  severity: Severity;
  /** Why it is a problem; the matched text is prefixed. */
  why: string;
  suggestions: string[];
}

export function phraseRule(entries: readonly PhraseEntry[]) {
  const compiled = compilePhrases(entries);
  return () => (tree: Root, file: VFile) => {
    const context = contextOf(file);
    for (const match of findPhrases(proseSentences(tree), compiled)) {
      const { rule, category, severity, why, suggestions } = match.entry;
      const written = context.text.slice(match.start, match.end);
      context.findings.push({
        rule,
        category,
        severity,
        from: match.start,
        to: match.end,
        message: `"${written}": ${why}`,
        suggestions,
      });
    }
  };
}
