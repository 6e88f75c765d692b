/**
 * Exclusionary, ableist and age-coded terms with replacements (rules `age-coded-term`,
 * `ableist-term`, `exclusionary-term`). Sources per group in docs/checks.md: the EEOC's guidance on
 * job advertisements (age and disability), the ADA's "essential functions", and the Conscious
 * Style Guide / Ongig lists of exclusionary job-ad wording.
 */
import { type PhraseEntry, phraseRule } from './phrase-rule.js';

const age = (phrase: string, suggestions: string[]): PhraseEntry => ({
  phrase,
  rule: 'age-coded-term',
  category: 'inclusive',
  severity: 'warning',
  why: 'age-coded wording discourages older applicants and can breach age-discrimination law.',
  suggestions,
});
const ableist = (phrase: string, suggestions: string[], why: string): PhraseEntry => ({
  phrase,
  rule: 'ableist-term',
  category: 'inclusive',
  severity: 'warning',
  why,
  suggestions,
});
const exclusionary = (phrase: string, suggestions: string[], why: string): PhraseEntry => ({
  phrase,
  rule: 'exclusionary-term',
  category: 'inclusive',
  severity: 'warning',
  why,
  suggestions,
});

const PHYSICAL =
  'a physical requirement shuts out disabled applicants; keep it only if it is an essential function, and describe the task, not the body.';
const NATIVE = 'asks for an origin, not a skill; describe the level of the language the work needs.';

export const EXCLUSIONARY_TERMS: readonly PhraseEntry[] = [
  age('digital native*', ['fluent with digital tools']),
  age('recent graduate*', ['early-career', 'graduate']),
  age('recent grad*', ['early-career']),
  age('new grad*', ['early-career']),
  age('young and dynamic', ['energetic', 'motivated']),
  age('young dynamic', ['energetic', 'motivated']),
  age('young team', ['small team', 'growing team']),
  age('youthful', ['energetic']),
  age('energetic young', ['energetic']),
  age('fresh graduate*', ['early-career']),
  age('overqualified', []),
  ableist('able to stand', ['able to remain in one place'], PHYSICAL),
  ableist('able to lift*', ['able to move'], PHYSICAL),
  ableist('able to walk', ['able to move around'], PHYSICAL),
  ableist('able to see', ['able to review'], PHYSICAL),
  ableist('able to hear', ['able to communicate'], PHYSICAL),
  ableist('able-bodied', [], PHYSICAL),
  ableist('physically fit', [], PHYSICAL),
  ableist('in good health', [], 'health is not a qualification and asking for it can breach disability law.'),
  ableist('stand for long periods', ['remain in one place for long periods'], PHYSICAL),
  exclusionary(
    'native english speaker*',
    ['fluent in English', 'professional working proficiency in English'],
    NATIVE,
  ),
  exclusionary('native speaker*', ['fluent speaker', 'professional working proficiency'], NATIVE),
  exclusionary('mother tongue', ['fluent'], NATIVE),
  exclusionary(
    'culture fit',
    ['culture add', 'shares our values'],
    'rewards sameness; name the values instead.',
  ),
  exclusionary(
    'cultural fit',
    ['culture add', 'shares our values'],
    'rewards sameness; name the values instead.',
  ),
  exclusionary('clean-shaven', [], 'excludes people whose religion or health requires a beard.'),
  exclusionary(
    'ivy league',
    ['a relevant degree or equivalent experience'],
    'selects by privilege, not ability.',
  ),
  exclusionary(
    'top-tier university',
    ['a relevant degree or equivalent experience'],
    'selects by privilege, not ability.',
  ),
  exclusionary(
    'top university',
    ['a relevant degree or equivalent experience'],
    'selects by privilege, not ability.',
  ),
];

export default phraseRule(EXCLUSIONARY_TERMS);
