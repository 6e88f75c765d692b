/**
 * The pay-transparency table (issue 21, part 3): one row per law, what makes it apply and what a
 * posting must then contain. Sources are the statutes and the regulators' guidance, summarised.
 * NOT LEGAL ADVICE: the rows simplify (employer-size thresholds, exemptions and transposition
 * dates are not modelled); docs/checks.md repeats this table with the caveats.
 */

/** What a law can require of a posting. */
export type PayRequirement =
  /** Both `pay.min` and `pay.max` (a closed range; min = max is a single figure). */
  | 'closedRange'
  /** Some pay figure: `pay.min` or `pay.max`. */
  | 'payFigure'
  /** A general description of benefits (`benefits`). */
  | 'benefits'
  /** A general description of bonus, commission, other variable pay (`variablePay`; "None" is fine). */
  | 'variablePay'
  /** No "and up"/"$X+" open-ended pay in the text. */
  | 'noOpenEndedText'
  /** Warn when the range is very wide (max / min above the configured ratio). */
  | 'warnWideRange'
  /** A gender-neutral job title. */
  | 'genderNeutralTitle';

export interface Jurisdiction {
  id: string;
  name: string;
  law: string;
  /** Where the text of the law or the regulator's guidance is. */
  source: string;
  /** A location matches with this country and, when given, region (ISO 3166-2 subdivision). */
  country: string;
  region?: string;
  /** When given, only locations in one of these cities (lower case) match. */
  cities?: readonly string[];
  /** ISO 3166 codes in `remoteEligible` that bring a remote job under the law. */
  remoteCodes: readonly string[];
  requires: readonly PayRequirement[];
}

/** The 27 member states (ISO 3166-1 alpha-2) the EU Pay Transparency Directive applies in. */
export const EU_MEMBER_STATES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
] as const;

const NEW_YORK_CITY = [
  'new york',
  'new york city',
  'nyc',
  'manhattan',
  'brooklyn',
  'queens',
  'bronx',
  'the bronx',
  'staten island',
];

export const JURISDICTIONS: readonly Jurisdiction[] = [
  {
    id: 'us-co',
    name: 'Colorado (Equal Pay for Equal Work Act)',
    law: 'Equal Pay for Equal Work Act, C.R.S. 8-5-201; Colorado Overtime and Minimum Pay Standards / Equal Pay Transparency Rules (7 CCR 1103-13)',
    source: 'https://cdle.colorado.gov/dlss/laws-regulations-guidance/equal-pay-for-equal-work-act',
    country: 'US',
    region: 'CO',
    // Covers remote jobs that could be done from Colorado.
    remoteCodes: ['US', 'US-CO'],
    requires: ['closedRange', 'benefits', 'variablePay'],
  },
  {
    id: 'us-ny-nyc',
    name: 'New York City (Local Law 32 of 2022)',
    law: 'NYC Human Rights Law, Admin. Code 8-107(32) (Local Law 32 of 2022)',
    source: 'https://www.nyc.gov/site/cchr/media/pay-transparency.page',
    country: 'US',
    region: 'NY',
    cities: NEW_YORK_CITY,
    // Covers remote jobs that could be done from the city.
    remoteCodes: ['US', 'US-NY'],
    requires: ['closedRange', 'noOpenEndedText', 'warnWideRange'],
  },
  {
    id: 'us-ca',
    name: 'California (Labor Code 432.3)',
    law: 'California Labor Code 432.3 (SB 1162, 2022): the pay scale in the job posting',
    source: 'https://www.dir.ca.gov/dlse/California-Equal-Pay-Act-FAQs.htm',
    country: 'US',
    region: 'CA',
    remoteCodes: ['US', 'US-CA'],
    requires: ['closedRange'],
  },
  {
    id: 'us-wa',
    name: 'Washington (RCW 49.58.110)',
    law: 'RCW 49.58.110 (as amended by SB 5761, 2022): wage scale or salary range, and a general description of benefits and other compensation',
    source: 'https://lni.wa.gov/workers-rights/_docs/ese1.pdf',
    country: 'US',
    region: 'WA',
    remoteCodes: ['US', 'US-WA'],
    requires: ['closedRange', 'noOpenEndedText', 'benefits', 'variablePay'],
  },
  ...EU_MEMBER_STATES.map(
    (country): Jurisdiction => ({
      id: `eu-${country.toLowerCase()}`,
      name: `EU (${country})`,
      law: 'Directive (EU) 2023/970 (Pay Transparency Directive), Article 5: initial pay or its range; gender-neutral vacancy notices and job titles',
      source: 'https://eur-lex.europa.eu/eli/dir/2023/970/oj',
      country,
      remoteCodes: [country, 'EU'],
      requires: ['payFigure', 'genderNeutralTitle'],
    }),
  ),
];
