/** Flesch-Kincaid grade of prose sentences (the formula retext-readability uses too). */
import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';
import type { ProseSentence } from './prose.js';

export function gradeOf(sentences: readonly ProseSentence[]): number {
  let words = 0;
  let syllables = 0;
  for (const s of sentences) {
    for (const w of s.words) {
      // Numbers and codes ("401(k)", "2024") are not words a reader sounds out.
      if (!/[a-z]/i.test(w.text)) continue;
      words++;
      syllables += Math.max(1, syllable(w.text));
    }
  }
  if (words === 0 || sentences.length === 0) return 0;
  return (
    Math.round(fleschKincaid({ sentence: sentences.length, word: words, syllable: syllables }) * 10) / 10
  );
}
