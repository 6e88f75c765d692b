/** Flesch-Kincaid grade of prose sentences (the formula retext-readability uses too). */
import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';
import type { ProseSentence } from './prose.js';

/**
 * Syllable counts by word. Counting is a tenth of a check's time and prose repeats its words;
 * the count of a word never changes, so sharing it between calls keeps results identical.
 */
const syllableCache = new Map<string, number>();
function syllablesOf(word: string): number {
  let count = syllableCache.get(word);
  if (count === undefined) {
    if (syllableCache.size > 50_000) syllableCache.clear();
    count = Math.max(1, syllable(word));
    syllableCache.set(word, count);
  }
  return count;
}

export function gradeOf(sentences: readonly ProseSentence[]): number {
  let words = 0;
  let syllables = 0;
  for (const s of sentences) {
    for (const w of s.words) {
      // Numbers and codes ("401(k)", "2024") are not words a reader sounds out.
      if (!/[a-z]/i.test(w.text)) continue;
      words++;
      syllables += syllablesOf(w.lower);
    }
  }
  if (words === 0 || sentences.length === 0) return 0;
  return (
    Math.round(fleschKincaid({ sentence: sentences.length, word: words, syllable: syllables }) * 10) / 10
  );
}
