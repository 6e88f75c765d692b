/**
 * The structured posting fields of issue 21, part 2, exactly as specified there. They live here
 * for now because the pay rules take them as input; a later step moves the schema into
 * @jd-collab/protocol (which will then validate them at the edge). Every field is optional: a
 * draft fills them in over time, and the pay rules say which ones a jurisdiction requires.
 */
import { z } from 'zod';

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
  city: z.string().trim().min(1).max(200).optional(),
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

export const postingSchema = z.strictObject({
  employmentType: z.enum(EMPLOYMENT_TYPES).optional(),
  workplace: z.enum(WORKPLACES).optional(),
  locations: z.array(locationSchema).max(100).optional(),
  remoteEligible: z.array(remoteCode).max(300).optional(),
  pay: paySchema.optional(),
  /** Free text: a general description of the benefits. */
  benefits: z.string().max(5000).optional(),
  /** Free text: bonus, commission and other variable pay ("None" when there is none). */
  variablePay: z.string().max(5000).optional(),
  /** ISO 8601 date (or date-time) after which the posting expires. */
  validThrough: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
});

export type PostingLocation = z.infer<typeof locationSchema>;
export type Pay = z.infer<typeof paySchema>;
export type PayPeriod = (typeof PAY_PERIODS)[number];
export type Posting = z.infer<typeof postingSchema>;
