/**
 * Pay as written in the prose ("$120,000 – $150,000 a year", "€55k", "£18.50 per hour"), so it can
 * be compared with the posting fields. Deliberately narrow: an amount counts only with a currency
 * and next to pay words, and never next to benefit words ("$2,000 learning budget").
 */
import type { PayPeriod } from '../posting.js';
import type { ProseSentence } from '../text/prose.js';

export interface PayInText {
  /** UTF-16 offsets of the amount or range as written. */
  start: number;
  end: number;
  text: string;
  min: number;
  /** Equal to `min` for a single figure. */
  max: number;
  currency: string | undefined;
  period: PayPeriod | undefined;
  /** "$120k+", "from $90,000", "up to €70k": a one-sided figure. */
  openEnded: boolean;
}

const SYMBOLS: Record<string, string> = {
  $: 'USD',
  US$: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  C$: 'CAD',
  A$: 'AUD',
};
const CODES = 'USD|EUR|GBP|CAD|AUD|CHF|SEK|DKK|PLN|NOK|CZK|HUF|RON';
const NUMBER = String.raw`\d{1,3}(?:[,.\u00a0 ]\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const AMOUNT = String.raw`(?:(US\$|C\$|A\$|[$€£]|(?:${CODES})\s?)\s?)?(${NUMBER})\s?([kK]\b)?(?:\s?([€£]|(?:${CODES})\b))?`;
const RANGE = new RegExp(String.raw`${AMOUNT}(?:\s*(?:-|–|—|to|and)\s*${AMOUNT})?`, 'g');

const PAY_WORDS =
  /\b(salary|salaries|pay|paid|base|compensation|wage|wages|rate|range|earn|earnings|hourly|annual|annually|per (hour|year|annum|month|day|week)|OTE)\b/i;
const BENEFIT_WORDS =
  /\b(budget|stipend|allowance|bonus|bonuses|commission|equity|match|matching|reimburs\w*|relocation|sign-on|signing|referral|401\(?k\)?|pension|discount|credit|insurance|per diem|gym|wellness)\b/i;
const PERIOD_AFTER: [RegExp, PayPeriod][] = [
  [/^\s*(\/\s*|per |an? |each )?(hour|hr)\b|^\s*hourly\b/i, 'HOUR'],
  [/^\s*(\/\s*|per |an? |each )?day\b|^\s*daily\b/i, 'DAY'],
  [/^\s*(\/\s*|per |an? |each )?(week|wk)\b|^\s*weekly\b/i, 'WEEK'],
  [/^\s*(\/\s*|per |an? |each )?(month|mo)\b|^\s*monthly\b/i, 'MONTH'],
  [
    /^\s*(\/\s*|per |an? |each )?(year|yr|annum)\b|^\s*(annually|yearly|p\.a\.)|^\s*(gross\s+)?per annum/i,
    'YEAR',
  ],
];
const OPEN_AFTER = /^\s*(\+|and up\b|or more\b|and above\b|or higher\b)/i;
const OPEN_BEFORE = /\b(from|starting (at|from)|up to|at least|minimum of|min\.?)\s*$/i;

function numberOf(digits: string, thousands: string | undefined): number {
  // "120,000" / "120.000" / "120 000": separators of thousands; "18.50" / "18,50": decimals.
  const grouped = /^\d{1,3}([,.\u00a0 ]\d{3})+(?:\.\d{1,2})?$/.test(digits);
  const value = grouped
    ? Number(
        digits
          .replace(/\.\d{1,2}$/, (d) => `#${d.slice(1)}`)
          .replace(/[,.\u00a0 ]/g, '')
          .replace('#', '.'),
      )
    : Number(digits.replace(',', '.'));
  return thousands ? value * 1000 : value;
}

function currencyOf(marker: string | undefined): string | undefined {
  if (!marker) return undefined;
  const trimmed = marker.trim();
  return SYMBOLS[trimmed] ?? trimmed.toUpperCase();
}

function periodAfter(rest: string): PayPeriod | undefined {
  return PERIOD_AFTER.find(([pattern]) => pattern.test(rest))?.[1];
}

export function payInText(text: string, sentences: readonly ProseSentence[]): PayInText[] {
  const found: PayInText[] = [];
  for (const sentence of sentences) {
    const source = text.slice(sentence.start, sentence.end);
    if (!PAY_WORDS.test(source)) continue;
    for (const m of source.matchAll(RANGE)) {
      const [written, pre1, n1, k1, post1, pre2, n2, k2, post2] = m;
      const currency = currencyOf(pre1 ?? post1 ?? pre2 ?? post2);
      if (!currency || !n1) continue; // a bare number ("3-5 years") is not pay
      const second = n2 ? numberOf(n2, k2 ?? k1) : undefined;
      const first = numberOf(n1, k1 ?? (n2 ? k2 : undefined));
      const before = source.slice(Math.max(0, m.index - 40), m.index);
      const after = source.slice(m.index + written.length, m.index + written.length + 30);
      if (BENEFIT_WORDS.test(before) || BENEFIT_WORDS.test(after)) continue;
      const start = sentence.start + m.index;
      found.push({
        start,
        end: start + written.trimEnd().length,
        text: written.trimEnd(),
        min: Math.min(first, second ?? first),
        max: Math.max(first, second ?? first),
        currency,
        period: periodAfter(after),
        openEnded: second === undefined && (OPEN_AFTER.test(after) || OPEN_BEFORE.test(before)),
      });
    }
  }
  return found;
}
