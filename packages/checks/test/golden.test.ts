/**
 * Golden tests: every job description of the corpus gives exactly its reviewed findings (rule and
 * code-point range). `UPDATE_GOLDEN=1` rewrites the `expected` lists; review the diff before
 * committing it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkJobDescription, postingSchema } from '../src/index.js';
import { CORPUS_DIR, loadCorpus, summarise } from './corpus.js';

const corpus = loadCorpus();

describe('golden corpus', () => {
  it('has at least 30 job descriptions', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of corpus) {
    it(`${c.name}: ${c.about}`, () => {
      if (c.posting) expect(postingSchema.parse(c.posting)).toEqual(c.posting);
      const report = checkJobDescription(c.markdown, c.posting, c.options);
      const actual = summarise(c.markdown, report);
      if (process.env.UPDATE_GOLDEN) {
        const file = join(CORPUS_DIR, `${c.name}.json`);
        const meta = JSON.parse(readFileSync(file, 'utf8'));
        writeFileSync(file, `${JSON.stringify({ ...meta, expected: actual }, null, 2)}\n`);
        return;
      }
      expect(actual).toEqual(c.expected);
      if (c.verdict) expect(report.genderTone.verdict).toBe(c.verdict);
    });
  }
});
