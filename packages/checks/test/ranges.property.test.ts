/**
 * Properties over random documents assembled from job-description fragments, emoji, accents and
 * Markdown: every finding's from/to is a valid code-point range of the text, the findings are
 * sorted by from then rule, and checking the same input twice gives the same report.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJobDescription, type Posting } from '../src/index.js';

const FRAGMENTS = [
  '# Senior Rockstar Salesman 😀\n\n',
  '## Responsibilities\n\n',
  '## What we offer\n\n',
  '- Lead the team and support analysts.\n',
  'We are a leading provider of analytics. ',
  'The candidate must be able to lift 20 kg. ',
  'Salary $90,000 and up per year. ',
  'Café crème, naïve façade, 🚀🎉 emoji. ',
  'We want a digital native who will work hard, play hard. ',
  '[Company name] ',
  'He will utilize his skills. ',
  '```\ncode [x] ninja\n```\n',
  '`inline [y]` ',
  '\n\n',
  'A competitive salary of €50k–€60k. ',
  'Ａ𝒳 𝕐 ',
];

const postings = fc.constantFrom<Posting | null>(
  null,
  { remoteEligible: ['US'], pay: { min: 80_000, max: 100_000, currency: 'USD', period: 'YEAR' } },
  { locations: [{ city: 'Paris', country: 'FR' }] },
);

describe('finding ranges and determinism (property)', () => {
  it('gives valid code-point ranges, sorted, and the same report twice', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 25 }),
        fc.string({ maxLength: 20 }),
        postings,
        (parts, noise, posting) => {
          const text = parts.join('') + noise;
          const length = [...text].length;
          const report = checkJobDescription(text, posting);
          for (const f of report.findings) {
            expect(Number.isInteger(f.from) && Number.isInteger(f.to)).toBe(true);
            expect(0 <= f.from && f.from <= f.to && f.to <= length).toBe(true);
          }
          for (let i = 1; i < report.findings.length; i++) {
            const a = report.findings[i - 1]!;
            const b = report.findings[i]!;
            expect(a.from < b.from || (a.from === b.from && a.rule <= b.rule)).toBe(true);
          }
          expect(checkJobDescription(text, posting)).toEqual(report);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('covers the same words whatever astral characters come before them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('😀', 'é', '🚀', 'a', ' ', '中', '𝕏'), { maxLength: 30 }),
        (prefix) => {
          const text = `${prefix.join('')}\n\nWe want a rockstar.\n`;
          const jargon = checkJobDescription(text, null).findings.find((f) => f.rule === 'jargon');
          expect([...text].slice(jargon!.from, jargon!.to).join('')).toBe('rockstar');
        },
      ),
      { numRuns: 100 },
    );
  });
});
