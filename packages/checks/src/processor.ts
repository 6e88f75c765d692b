/**
 * The unified pipeline, built once: remark parses the Markdown, the structure rules read the
 * Markdown tree, remark-retext turns the prose into an English nlcst tree (headings, code and HTML
 * left out: they are not prose), then the retext packages and our prose rules run. Every plugin is
 * synchronous, so `runSync` keeps `checkJobDescription` synchronous for the server and the worker.
 */
import { ParseEnglish } from 'parse-english';
import remarkParse from 'remark-parse';
import remarkRetext from 'remark-retext';
import retextPassive from 'retext-passive';
import retextSimplify from 'retext-simplify';
import { unified } from 'unified';
import equalityOnce from './rules/equality.js';
import exclusionaryTerms from './rules/exclusionary-terms.js';
import genderCoded from './rules/gender-coded.js';
import jargonTerms from './rules/jargon-terms.js';
import missingSections from './rules/missing-sections.js';
import mustHaves from './rules/must-haves.js';
import payTransparency from './rules/pay-transparency.js';
import placeholders from './rules/placeholders.js';
import readabilityGrade from './rules/readability-grade.js';
import thirdPerson from './rules/third-person.js';
import wordCount from './rules/word-count.js';

/** Markdown nodes that are not prose. */
const NOT_PROSE = ['heading', 'code', 'html', 'definition', 'thematicBreak', 'yaml'];

export const checkProcessor = unified()
  .use(remarkParse)
  // On the Markdown tree (missingSections builds the outline the others read):
  .use(missingSections)
  .use(placeholders)
  .use(mustHaves)
  // Markdown → nlcst; everything after runs on prose:
  .use(remarkRetext, ParseEnglish as never, { ignore: NOT_PROSE, source: ['inlineCode'] })
  .use(equalityOnce)
  .use(retextSimplify)
  .use(retextPassive)
  .use(genderCoded)
  .use(exclusionaryTerms)
  .use(jargonTerms)
  .use(thirdPerson)
  .use(wordCount)
  .use(readabilityGrade)
  .use(payTransparency)
  .freeze();
