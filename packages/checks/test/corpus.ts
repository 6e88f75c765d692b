/**
 * The golden corpus: job descriptions written for these tests (test/corpus/NN-name.md) and beside
 * each its inputs and expected findings (NN-name.json): `posting`, optional `options`, optional
 * `verdict`, and `expected` as rule + code-point range + the text it covers, for review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckOptions, CheckReport, GenderVerdict, Posting } from '../src/index.js';

export const CORPUS_DIR = join(import.meta.dirname, 'corpus');

export interface ExpectedFinding {
  rule: string;
  from: number;
  to: number;
  text: string;
}

export interface CorpusCase {
  name: string;
  markdown: string;
  about: string;
  posting: Posting | null;
  options?: CheckOptions;
  verdict?: GenderVerdict;
  expected?: ExpectedFinding[];
}

export function loadCorpus(): CorpusCase[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.md'.length);
      const meta = JSON.parse(readFileSync(join(CORPUS_DIR, `${name}.json`), 'utf8')) as Omit<
        CorpusCase,
        'name' | 'markdown'
      >;
      return { ...meta, name, markdown: readFileSync(join(CORPUS_DIR, file), 'utf8') };
    });
}

/** The reviewable form of a report's findings: rule, range and the code points it covers. */
export function summarise(markdown: string, report: CheckReport): ExpectedFinding[] {
  const codePoints = [...markdown];
  return report.findings.map((f) => ({
    rule: f.rule,
    from: f.from,
    to: f.to,
    text: codePoints.slice(f.from, f.to).join(''),
  }));
}
