/**
 * Finds listed phrases in prose, word by word, so "work hard, play hard" matches across its
 * comma and "ninjas" matches "ninja*". A token ending in `*` matches any word it starts.
 */
import type { ProseSentence } from './prose.js';

export interface PhraseMatch<T> {
  entry: T;
  /** UTF-16 offsets from the first word's start to the last word's end. */
  start: number;
  end: number;
}

interface Compiled<T> {
  entry: T;
  tokens: { word: string; prefix: boolean }[];
}

export function compilePhrases<T extends { phrase: string }>(entries: readonly T[]): Compiled<T>[] {
  return entries.map((entry) => ({
    entry,
    tokens: entry.phrase
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .map((token) =>
        token.endsWith('*') ? { word: token.slice(0, -1), prefix: true } : { word: token, prefix: false },
      ),
  }));
}

/** Matches in document order; where phrases overlap, the longest match at a position wins. */
export function findPhrases<T>(
  sentences: readonly ProseSentence[],
  phrases: readonly Compiled<T>[],
): PhraseMatch<T>[] {
  const matches: PhraseMatch<T>[] = [];
  for (const { words } of sentences) {
    let i = 0;
    while (i < words.length) {
      let best: { compiled: Compiled<T>; length: number } | undefined;
      for (const compiled of phrases) {
        const n = compiled.tokens.length;
        if (i + n > words.length || (best && n <= best.length)) continue;
        const fits = compiled.tokens.every((token, k) => {
          const word = words[i + k]!.lower;
          return token.prefix ? word.startsWith(token.word) : word === token.word;
        });
        if (fits) best = { compiled, length: n };
      }
      if (best) {
        matches.push({
          entry: best.compiled.entry,
          start: words[i]!.start,
          end: words[i + best.length - 1]!.end,
        });
        i += best.length;
      } else i++;
    }
  }
  return matches;
}
