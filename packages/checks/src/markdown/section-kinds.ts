/**
 * What a heading names: the four sections every job description needs (issue 21), recognised by
 * the words hiring teams use for them, including the template's own headings.
 */
import type { Outline, OutlineHeading } from './outline.js';

export type SectionKind = 'summary' | 'responsibilities' | 'requirements' | 'offer';

const PATTERNS: Record<SectionKind, RegExp> = {
  summary:
    /\b(summary|overview|about (the|this) (role|job|position|opportunity)|the role|the opportunity|introduction|role description|position description)\b/i,
  responsibilities:
    /\b(responsibilit|duties|what you('| wi)ll do|what you will be doing|your role|day[- ]to[- ]day|in this role|the work|key tasks|tasks|accountabilit|your impact|what you('| wi)ll own)/i,
  requirements:
    /\b(requirement|qualification|must[- ]haves?|what you('| wi)ll (need|bring)|what we('re| are) looking for|who you are|about you|skills|experience required|you have|you bring|essential criteria)/i,
  offer:
    /\b(what we offer|we offer|benefits|perks|compensation|pay|salary|salaries|what you('| wi)ll get|why join|package|rewards|what('s| is) in it for you|our offer)/i,
};

/** "Nice to have" and "preferred" lists are requirements too, but not must-haves. */
const OPTIONAL = /\b(nice[- ]to[- ]have|preferred|bonus|plus|desirable|optional|not required)\b/i;

export function sectionKind(heading: OutlineHeading): SectionKind | null {
  if (heading.depth === 1) return null;
  if (OPTIONAL.test(heading.text)) return null;
  for (const kind of ['offer', 'requirements', 'responsibilities', 'summary'] as const) {
    if (PATTERNS[kind].test(heading.text)) return kind;
  }
  return null;
}

export function sectionsOf(outline: Outline, kind: SectionKind): OutlineHeading[] {
  return outline.headings.filter((h) => sectionKind(h) === kind);
}

/** A summary is a named section, or a paragraph between the title and the first section. */
export function hasSummary(outline: Outline): boolean {
  return sectionsOf(outline, 'summary').length > 0 || outline.intro.some((node) => node.type === 'paragraph');
}
