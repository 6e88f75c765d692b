/**
 * Pay transparency (retext plugin, category `pay`): works out from the posting fields which rows
 * of the pay table apply, reports each missing required item as an error, and warns where the
 * pay written in the text contradicts the fields. Not legal advice (see pay/jurisdictions.ts).
 */
import type { Root } from 'nlcst';
import type { VFile } from 'vfile';
import { type CheckContext, contextOf } from '../context.js';
import { documentAnchor } from '../markdown/outline.js';
import { sectionsOf } from '../markdown/section-kinds.js';
import { applicableJurisdictions } from '../pay/applicable.js';
import { genderedTitleTerms } from '../pay/gendered-title.js';
import type { Jurisdiction, PayRequirement } from '../pay/jurisdictions.js';
import { type PayInText, payInText } from '../pay/pay-in-text.js';
import type { Pay } from '../posting.js';
import { proseSentences } from '../text/prose.js';
import type { Finding } from '../types.js';

/** "Colorado, California and the EU Pay Transparency Directive (DE, FR)". */
function lawNames(laws: readonly Jurisdiction[]): string {
  const us = laws.filter((j) => !j.id.startsWith('eu-')).map((j) => j.name);
  const eu = laws.filter((j) => j.id.startsWith('eu-')).map((j) => j.country);
  const names = eu.length > 0 ? [...us, `the EU Pay Transparency Directive (${eu.join(', ')})`] : us;
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function hasText(value: string | undefined): boolean {
  return value !== undefined && value.trim().length > 0;
}

function describePay(pay: Pay | undefined): string {
  if (!pay || (pay.min === undefined && pay.max === undefined)) return 'no pay';
  if (pay.max === undefined) return `only a minimum (${pay.min} ${pay.currency}: "and up" is not a range)`;
  if (pay.min === undefined) return `only a maximum (${pay.max} ${pay.currency})`;
  return `${pay.min}-${pay.max} ${pay.currency}`;
}

/** Where a missing item belongs: the pay/offer section's heading, else the title. */
function payAnchor(context: CheckContext): { from: number; to: number } {
  const offer = context.outline ? sectionsOf(context.outline, 'offer')[0] : undefined;
  return offer ? { from: offer.start, to: offer.end } : documentAnchor(context.outline);
}

function mismatch(found: PayInText, pay: Pay): string | null {
  if (found.currency && found.currency !== pay.currency)
    return `currency ${found.currency}, the fields ${pay.currency}`;
  if (found.period && found.period !== pay.period)
    return `per ${found.period.toLowerCase()}, the fields per ${pay.period.toLowerCase()}`;
  const tolerance = 0.005;
  if (pay.min !== undefined && found.min < pay.min * (1 - tolerance))
    return `${found.min} below the minimum ${pay.min}`;
  if (pay.max !== undefined && found.max > pay.max * (1 + tolerance))
    return `${found.max} above the maximum ${pay.max}`;
  return null;
}

export default function payTransparency() {
  return (tree: Root, file: VFile) => {
    const context = contextOf(file);
    const anchor = payAnchor(context);
    const push = (finding: Omit<Finding, 'category' | 'from' | 'to'> & Partial<Finding>) =>
      context.findings.push({ category: 'pay', ...anchor, ...finding });
    const posting = context.posting;
    if (!posting) {
      push({
        rule: 'pay-fields-missing',
        severity: 'info',
        message: 'No posting fields (locations, pay): the pay-transparency rules were not checked.',
        suggestions: [],
      });
      return;
    }
    const laws = applicableJurisdictions(posting);
    const requiring = (requirement: PayRequirement) => laws.filter((j) => j.requires.includes(requirement));
    const pay = posting.pay;
    const found = payInText(context.text, proseSentences(tree));

    const closed = requiring('closedRange');
    const hasRange = pay?.min !== undefined && pay.max !== undefined && pay.min <= pay.max;
    if (closed.length > 0 && !hasRange) {
      push({
        rule: 'pay-range-required',
        severity: 'error',
        message: `A pay range with a minimum and a maximum is required by ${lawNames(closed)}; the posting fields have ${describePay(pay)}.`,
        suggestions: [],
      });
    }
    const figure = requiring('payFigure');
    if (figure.length > 0 && pay?.min === undefined && pay?.max === undefined && !(closed.length > 0)) {
      push({
        rule: 'pay-required',
        severity: 'error',
        message: `The starting pay or its range is required by ${lawNames(figure)}.`,
        suggestions: [],
      });
    }
    const benefits = requiring('benefits');
    if (benefits.length > 0 && !hasText(posting.benefits)) {
      push({
        rule: 'pay-benefits-required',
        severity: 'error',
        message: `A general description of the benefits (posting field "benefits") is required by ${lawNames(benefits)}.`,
        suggestions: [],
      });
    }
    const variable = requiring('variablePay');
    if (variable.length > 0 && !hasText(posting.variablePay)) {
      push({
        rule: 'pay-variable-pay-required',
        severity: 'error',
        message: `A general description of bonus, commission and other compensation (posting field "variablePay"; "None" if there is none) is required by ${lawNames(variable)}.`,
        suggestions: [],
      });
    }
    const ratio = context.options.thresholds.wideRangeRatio;
    const wide = requiring('warnWideRange');
    if (wide.length > 0 && hasRange && pay.min! > 0 && pay.max! / pay.min! > ratio) {
      push({
        rule: 'pay-range-too-wide',
        severity: 'warning',
        message: `The range ${pay.min}-${pay.max} ${pay.currency} spans more than ${ratio}×: ${lawNames(wide)} expects the range the employer in good faith believes it would pay.`,
        suggestions: [],
      });
    }
    const openLaws = requiring('noOpenEndedText');
    for (const text of found) {
      if (text.openEnded && openLaws.length > 0) {
        push({
          rule: 'pay-open-ended',
          severity: 'error',
          from: text.start,
          to: text.end,
          message: `"${text.text}" is open-ended; a minimum and a maximum are required by ${lawNames(openLaws)}.`,
          suggestions: hasRange ? [`${pay.min}-${pay.max} ${pay.currency}`] : [],
        });
      }
      const why = pay ? mismatch(text, pay) : null;
      if (why) {
        push({
          rule: 'pay-text-mismatch',
          severity: 'warning',
          from: text.start,
          to: text.end,
          message: `The text says "${text.text}" but the posting fields say ${describePay(pay)} per ${pay!.period.toLowerCase()} (${why}).`,
          suggestions: [],
        });
      }
    }
    if (requiring('genderNeutralTitle').length > 0)
      reportGenderedTitle(context, requiring('genderNeutralTitle'));
  };
}

function reportGenderedTitle(context: CheckContext, laws: readonly Jurisdiction[]): void {
  const heading = context.outline?.title;
  const title = context.options.title ?? heading?.text ?? '';
  // Offsets point into the title heading when the title is the heading; else at the heading.
  const headingSource = heading ? context.text.slice(heading.start, heading.end) : '';
  const base = heading && !context.options.title ? heading.start + headingSource.indexOf(title) : undefined;
  for (const term of genderedTitleTerms(title)) {
    const range =
      base !== undefined ? { from: base + term.start, to: base + term.end } : documentAnchor(context.outline);
    context.findings.push({
      rule: 'pay-gendered-title',
      category: 'pay',
      severity: 'error',
      ...range,
      message: `The job title's "${term.written}" is gendered; gender-neutral job titles are required by ${lawNames(laws)}.`,
      suggestions: term.suggestion ? [term.suggestion] : [],
    });
  }
}
