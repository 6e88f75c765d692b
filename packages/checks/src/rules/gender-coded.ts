/**
 * Gender-coded wording (retext plugin): counts the masculine- and feminine-coded words of the
 * prose with gender-decoder's stems and verdict, and marks each masculine-coded word, since the
 * study found those (not the feminine ones) make a job less appealing to women.
 */
import type { Root } from 'nlcst';
import type { VFile } from 'vfile';
import { contextOf } from '../context.js';
import { documentAnchor } from '../markdown/outline.js';
import { proseSentences, type WordToken } from '../text/prose.js';
import type { GenderVerdict } from '../types.js';
import {
  COMPETITIVE_PAY_NOUNS,
  FEMININE_STEMS,
  HYPHENATED_STEMS,
  LEADING_ADJECTIVE_CUES,
  LEADING_COMPANY_NOUNS,
  MASCULINE_ALTERNATIVES,
  MASCULINE_STEMS,
  NOT_CODED_WORDS,
} from './gender-word-lists.js';

/** gender-decoder's verdict: feminine minus masculine count, strongly past ±3. */
export function genderVerdict(masculine: number, feminine: number): GenderVerdict {
  const score = feminine - masculine;
  if (score > 3) return 'strongly feminine-coded';
  if (score > 0) return 'feminine-coded';
  if (score < -3) return 'strongly masculine-coded';
  if (score < 0) return 'masculine-coded';
  return 'neutral';
}

/** gender-decoder splits hyphenated words ("data-driven") unless a hyphenated stem starts them. */
function splitHyphenated(word: WordToken): WordToken[] {
  if (!word.lower.includes('-') || HYPHENATED_STEMS.some((s) => word.lower.startsWith(s))) return [word];
  const parts: WordToken[] = [];
  let offset = 0;
  for (const part of word.text.split('-')) {
    if (part) {
      const start = word.start + offset;
      parts.push({ text: part, lower: part.toLowerCase(), start, end: start + part.length });
    }
    offset += part.length + 1;
  }
  return parts;
}

function isTrap(words: WordToken[], i: number): boolean {
  const word = words[i]!.lower;
  if (NOT_CODED_WORDS.has(word)) return true;
  const previous = words[i - 1]?.lower;
  const next = words[i + 1]?.lower;
  if (word === 'leading' || word === 'leading-edge') {
    return (
      word === 'leading-edge' ||
      (previous !== undefined && LEADING_ADJECTIVE_CUES.has(previous)) ||
      (next !== undefined && LEADING_COMPANY_NOUNS.has(next))
    );
  }
  if (word === 'competitive') return next !== undefined && COMPETITIVE_PAY_NOUNS.has(next);
  if (word === 'kind') return next === 'of';
  return false;
}

export default function genderCoded() {
  return (tree: Root, file: VFile) => {
    const context = contextOf(file);
    const masculine: WordToken[] = [];
    const feminine: WordToken[] = [];
    for (const sentence of proseSentences(tree)) {
      const words = sentence.words.flatMap(splitHyphenated);
      words.forEach((word, i) => {
        if (isTrap(words, i)) return;
        if (MASCULINE_STEMS.some((stem) => word.lower.startsWith(stem))) masculine.push(word);
        else if (FEMININE_STEMS.some((stem) => word.lower.startsWith(stem))) feminine.push(word);
      });
    }
    const verdict = genderVerdict(masculine.length, feminine.length);
    context.genderTone = {
      masculine: masculine.map((w) => w.text),
      feminine: feminine.map((w) => w.text),
      verdict,
    };
    for (const word of masculine) {
      context.findings.push({
        rule: 'gender-coded-word',
        category: 'inclusive',
        severity: 'info',
        from: word.start,
        to: word.end,
        message: `"${word.text}" is masculine-coded (Gaucher, Friesen & Kay 2011); such words make a job less appealing to women.`,
        suggestions: MASCULINE_ALTERNATIVES[word.lower] ?? [],
      });
    }
    if (verdict === 'strongly masculine-coded' || verdict === 'masculine-coded') {
      const anchor = documentAnchor(context.outline);
      context.findings.push({
        rule: 'gender-tone',
        category: 'inclusive',
        severity: verdict === 'strongly masculine-coded' ? 'warning' : 'info',
        ...anchor,
        message: `The wording is ${verdict}: ${masculine.length} masculine-coded against ${feminine.length} feminine-coded words.`,
        suggestions: [],
      });
    }
  };
}
