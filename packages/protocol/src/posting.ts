/**
 * A job description's structured posting fields (issue 21, part 2): part of its metadata, edited
 * live like the title (PATCH /api/documents/:id, broadcast in document.updated), validated here at
 * the edge, read by the writing checks (@jd-collab/checks: the pay-transparency rules) and by the
 * schema.org JobPosting export. Every field is optional: a draft fills them in over time.
 *
 * Conflict-free editing: a patch replaces only the top-level fields it names (null clears one), so
 * two people editing different fields at once never overwrite each other.
 */
import { z } from 'zod';
import { storableTextSchema } from './primitives.js';

export const EMPLOYMENT_TYPES = ['FULL_TIME', 'PART_TIME', 'CONTRACTOR', 'TEMPORARY', 'INTERN'] as const;
export const WORKPLACES = ['onsite', 'hybrid', 'remote'] as const;
export const PAY_PERIODS = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR'] as const;

/** ISO 3166-1 alpha-2, e.g. "US", "DE". */
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code, e.g. "US"');
/** The subdivision part of an ISO 3166-2 code, e.g. "NY" for US-NY, "BY" for DE-BY. */
const regionCode = z
  .string()
  .regex(/^[A-Z0-9]{1,3}$/, 'an ISO 3166-2 subdivision code without the country, e.g. "NY"');
/** Where a remote hire may live: a country ("US") or a subdivision ("US-CA"). */
const remoteCode = z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 code, e.g. "US" or "US-CA"');

export const locationSchema = z.strictObject({
  city: storableTextSchema.trim().min(1).max(200).optional(),
  region: regionCode.optional(),
  country: countryCode,
});

export const paySchema = z
  .strictObject({
    min: z.number().nonnegative().finite().optional(),
    max: z.number().nonnegative().finite().optional(),
    /** ISO 4217, e.g. "USD". */
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code, e.g. "USD"'),
    period: z.enum(PAY_PERIODS),
  })
  .refine((pay) => pay.min === undefined || pay.max === undefined || pay.min <= pay.max, {
    message: 'pay.min must not exceed pay.max',
    path: ['max'],
  });

const postingFields = {
  employmentType: z.enum(EMPLOYMENT_TYPES),
  workplace: z.enum(WORKPLACES),
  locations: z.array(locationSchema).max(100),
  remoteEligible: z.array(remoteCode).max(300),
  pay: paySchema,
  /** Free text: a general description of the benefits. */
  benefits: storableTextSchema.max(5000),
  /** Free text: bonus, commission and other variable pay ("None" when there is none). */
  variablePay: storableTextSchema.max(5000),
  /** ISO 8601 date (or date-time) after which the posting expires. */
  validThrough: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
};

export const postingSchema = z.strictObject({
  employmentType: postingFields.employmentType.optional(),
  workplace: postingFields.workplace.optional(),
  locations: postingFields.locations.optional(),
  remoteEligible: postingFields.remoteEligible.optional(),
  pay: postingFields.pay.optional(),
  benefits: postingFields.benefits.optional(),
  variablePay: postingFields.variablePay.optional(),
  validThrough: postingFields.validThrough.optional(),
});

/** A partial update: a field given replaces the stored one, `null` clears it, absent keeps it. */
export const postingPatchSchema = z.strictObject({
  employmentType: postingFields.employmentType.nullable().optional(),
  workplace: postingFields.workplace.nullable().optional(),
  locations: postingFields.locations.nullable().optional(),
  remoteEligible: postingFields.remoteEligible.nullable().optional(),
  pay: postingFields.pay.nullable().optional(),
  benefits: postingFields.benefits.nullable().optional(),
  variablePay: postingFields.variablePay.nullable().optional(),
  validThrough: postingFields.validThrough.nullable().optional(),
});

export type PostingLocation = z.infer<typeof locationSchema>;
export type Pay = z.infer<typeof paySchema>;
export type PayPeriod = (typeof PAY_PERIODS)[number];
export type Posting = z.infer<typeof postingSchema>;
export type PostingPatch = z.infer<typeof postingPatchSchema>;

/** `current` with `patch` applied (the store does this atomically, in one transaction). */
export function applyPostingPatch(current: Posting, patch: PostingPatch): Posting {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as Posting;
}
