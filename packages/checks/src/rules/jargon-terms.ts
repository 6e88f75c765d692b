/**
 * Jargon and clichés (rules `jargon`, `cliche`): words that say nothing about the work and put
 * off people who do not see themselves as a "rockstar". Sources in docs/checks.md.
 */
import { type PhraseEntry, phraseRule } from './phrase-rule.js';

const jargon = (phrase: string, suggestions: string[]): PhraseEntry => ({
  phrase,
  rule: 'jargon',
  category: 'clarity',
  severity: 'warning',
  why: 'jargon says nothing about the work; name the skill or the outcome.',
  suggestions,
});
const cliche = (phrase: string, suggestions: string[]): PhraseEntry => ({
  phrase,
  rule: 'cliche',
  category: 'clarity',
  severity: 'warning',
  why: 'a cliché every posting uses; say what it means in this job.',
  suggestions,
});

export const JARGON_TERMS: readonly PhraseEntry[] = [
  jargon('rockstar*', ['skilled', 'experienced']),
  jargon('rock star*', ['skilled', 'experienced']),
  jargon('ninja*', ['expert', 'skilled']),
  jargon('guru*', ['expert']),
  jargon('wizard*', ['expert']),
  jargon('unicorn*', []),
  jargon('jedi*', ['expert']),
  jargon('superstar*', ['skilled']),
  jargon('10x', []),
  jargon('leverage synerg*', ['work together']),
  jargon('synerg*', ['collaboration']),
  jargon('best-in-class', ['excellent']),
  jargon('best in class', ['excellent']),
  jargon('move the needle', ['make a measurable difference']),
  jargon('low-hanging fruit', ['quick wins']),
  jargon('paradigm shift*', ['change']),
  jargon('thought leader*', ['expert']),
  jargon('game-changer*', []),
  jargon('game changer*', []),
  cliche('work hard play hard', ['we work at a sustainable pace']),
  cliche('wear many hats', ['take on varied work, such as …']),
  cliche('wears many hats', ['takes on varied work, such as …']),
  cliche('wearing many hats', ['taking on varied work, such as …']),
  cliche('fast-paced environment', ['name what changes quickly, and how often']),
  cliche('fast paced environment', ['name what changes quickly, and how often']),
  cliche('self-starter', ['works independently']),
  cliche('hit the ground running', ['contribute from your first weeks']),
  cliche('think outside the box', ['find new approaches']),
  cliche('go-getter', ['motivated']),
  cliche('like a family', ['supportive team']),
  cliche('we are a family', ['we support each other']),
];

export default phraseRule(JARGON_TERMS);
