/**
 * "The candidate/applicant" (rule `third-person-candidate`): a job description reads better, and
 * is read more, when it talks to the reader as "you" (plain-language guidance, docs/checks.md).
 */
import { type PhraseEntry, phraseRule } from './phrase-rule.js';

const entry = (phrase: string): PhraseEntry => ({
  phrase,
  rule: 'third-person-candidate',
  category: 'clarity',
  severity: 'info',
  why: 'talk to the reader: "you" reads better than a third person.',
  suggestions: ['you'],
});

export const THIRD_PERSON_TERMS: readonly PhraseEntry[] = [
  'the candidate',
  'the successful candidate',
  'the ideal candidate',
  'the right candidate',
  'the selected candidate',
  'the applicant',
  'the successful applicant',
  'the ideal applicant',
  'the right applicant',
].map(entry);

export default phraseRule(THIRD_PERSON_TERMS);
