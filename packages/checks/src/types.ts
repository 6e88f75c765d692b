/** The shapes the check engine answers with (issue 21, part 1). */

export type Category = 'inclusive' | 'clarity' | 'structure' | 'pay';
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable rule id (see docs/checks.md); configurable through `CheckOptions.rules`. */
  rule: string;
  category: Category;
  severity: Severity;
  /** Code-point offsets into the Markdown (the protocol's unit), `from <= to`. */
  from: number;
  to: number;
  message: string;
  /** Replacements for the text in `from..to` (empty when the fix is not a swap of words). */
  suggestions: string[];
}

export type GenderVerdict =
  | 'strongly feminine-coded'
  | 'feminine-coded'
  | 'neutral'
  | 'masculine-coded'
  | 'strongly masculine-coded';

export interface GenderTone {
  /** Coded words as written, in document order (repeats kept: the verdict counts them). */
  masculine: string[];
  feminine: string[];
  verdict: GenderVerdict;
}

export interface Readability {
  /** Flesch-Kincaid grade level of the prose, one decimal. */
  grade: number;
  /** Words of prose (headings and code excluded). */
  words: number;
}

export interface Score {
  /** 0-100: the sum of the four parts. */
  total: number;
  parts: Record<Category, number>;
}

export interface CheckReport {
  score: Score;
  genderTone: GenderTone;
  readability: Readability;
  /** Sorted by `from`, then `rule` (then `to`, then message, so the order is total). */
  findings: Finding[];
}
