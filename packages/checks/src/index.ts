/**
 * @jd-collab/checks: writing checks for job descriptions (issue 21, parts 1 and 3). Pure: no I/O,
 * the same results in Node and the browser. Rules and sources: docs/checks.md.
 */
export { checkJobDescription } from './check.js';
export { utf16ToCodePoints } from './code-points.js';
export { type CheckOptions, DEFAULT_THRESHOLDS, type RuleSetting, type Thresholds } from './options.js';
export { applicableJurisdictions } from './pay/applicable.js';
export {
  EU_MEMBER_STATES,
  JURISDICTIONS,
  type Jurisdiction,
  type PayRequirement,
} from './pay/jurisdictions.js';
export {
  EMPLOYMENT_TYPES,
  PAY_PERIODS,
  type Pay,
  type PayPeriod,
  type Posting,
  type PostingLocation,
  paySchema,
  postingSchema,
  WORKPLACES,
} from './posting.js';
export { genderVerdict } from './rules/gender-coded.js';
export type {
  Category,
  CheckReport,
  Finding,
  GenderTone,
  GenderVerdict,
  Readability,
  Score,
  Severity,
} from './types.js';
