/**
 * Table tests of the pay-transparency rules: for each row of the table, which postings bring it in
 * (location, city, remote eligibility) and which missing item gives which error.
 */
import { describe, expect, it } from 'vitest';
import { applicableJurisdictions, checkJobDescription, type Posting } from '../src/index.js';

const DOC = '# Engineer\n\nWe build tools.\n\n## What we offer\n\n- Good people.\n';
const FULL_PAY = { min: 100_000, max: 120_000, currency: 'USD', period: 'YEAR' } as const;
const COMPLETE: Posting = { pay: FULL_PAY, benefits: 'Health insurance', variablePay: 'None' };

function payRules(posting: Posting, markdown = DOC): string[] {
  return checkJobDescription(markdown, posting)
    .findings.filter((f) => f.category === 'pay')
    .map((f) => `${f.rule}:${f.severity}`);
}

describe('which laws apply', () => {
  const ids = (posting: Posting) => applicableJurisdictions(posting).map((j) => j.id);
  it.each<[string, Posting, string[]]>([
    ['Denver, CO', { locations: [{ city: 'Denver', region: 'CO', country: 'US' }] }, ['us-co']],
    ['Brooklyn, NY', { locations: [{ city: 'Brooklyn', region: 'NY', country: 'US' }] }, ['us-ny-nyc']],
    ['Buffalo, NY (not the city)', { locations: [{ city: 'Buffalo', region: 'NY', country: 'US' }] }, []],
    ['San Jose, CA', { locations: [{ city: 'San Jose', region: 'CA', country: 'US' }] }, ['us-ca']],
    ['Seattle, WA', { locations: [{ city: 'Seattle', region: 'WA', country: 'US' }] }, ['us-wa']],
    ['Austin, TX', { locations: [{ city: 'Austin', region: 'TX', country: 'US' }] }, []],
    ['remote anywhere in the US', { remoteEligible: ['US'] }, ['us-co', 'us-ny-nyc', 'us-ca', 'us-wa']],
    ['remote from California only', { remoteEligible: ['US-CA'] }, ['us-ca']],
    ['remote from New York State', { remoteEligible: ['US-NY'] }, ['us-ny-nyc']],
    ['Berlin', { locations: [{ city: 'Berlin', country: 'DE' }] }, ['eu-de']],
    ['remote from the EU', { remoteEligible: ['EU'] }, expect.arrayContaining(['eu-de', 'eu-fr', 'eu-se'])],
    ['London (not in the EU)', { locations: [{ city: 'London', country: 'GB' }] }, []],
    ['Zurich (not in the EU)', { locations: [{ city: 'Zurich', country: 'CH' }] }, []],
    ['no location', {}, []],
  ])('%s', (_name, posting, expected) => {
    expect(ids(posting)).toEqual(expected);
  });

  it('remote from the EU brings in all 27 member states', () => {
    expect(ids({ remoteEligible: ['EU'] })).toHaveLength(27);
  });
});

describe('what each law requires', () => {
  const at = (city: string, region: string) => ({ locations: [{ city, region, country: 'US' }] });
  it.each<[string, Posting, string[]]>([
    // Colorado: closed range, benefits, variable pay.
    ['Colorado complete', { ...at('Denver', 'CO'), ...COMPLETE }, []],
    [
      'Colorado without pay',
      { ...at('Denver', 'CO'), benefits: 'x', variablePay: 'None' },
      ['pay-range-required:error'],
    ],
    [
      'Colorado with a minimum only',
      { ...at('Denver', 'CO'), ...COMPLETE, pay: { ...FULL_PAY, max: undefined } },
      ['pay-range-required:error'],
    ],
    [
      'Colorado without benefits',
      { ...at('Denver', 'CO'), ...COMPLETE, benefits: ' ' },
      ['pay-benefits-required:error'],
    ],
    [
      'Colorado without variable pay',
      { ...at('Denver', 'CO'), ...COMPLETE, variablePay: undefined },
      ['pay-variable-pay-required:error'],
    ],
    // New York City: closed range; wide ranges warn; benefits not required.
    ['NYC with a range', { ...at('New York', 'NY'), pay: FULL_PAY }, []],
    [
      'NYC with a maximum only',
      { ...at('Queens', 'NY'), pay: { ...FULL_PAY, min: undefined } },
      ['pay-range-required:error'],
    ],
    [
      'NYC with a very wide range',
      { ...at('Bronx', 'NY'), pay: { ...FULL_PAY, min: 50_000, max: 150_000 } },
      ['pay-range-too-wide:warning'],
    ],
    ['NYC with exactly 2x', { ...at('Bronx', 'NY'), pay: { ...FULL_PAY, min: 60_000, max: 120_000 } }, []],
    // California: closed range only.
    ['California with a range', { ...at('Fresno', 'CA'), pay: FULL_PAY }, []],
    ['California without pay', at('Fresno', 'CA'), ['pay-range-required:error']],
    [
      'California single figure (min = max)',
      { ...at('Fresno', 'CA'), pay: { ...FULL_PAY, max: 100_000 } },
      [],
    ],
    // Washington: closed range, benefits, other compensation.
    ['Washington complete', { ...at('Tacoma', 'WA'), ...COMPLETE }, []],
    [
      'Washington without benefits or variable pay',
      { ...at('Tacoma', 'WA'), pay: FULL_PAY },
      ['pay-benefits-required:error', 'pay-variable-pay-required:error'],
    ],
    [
      'Washington with a minimum only',
      { ...at('Tacoma', 'WA'), ...COMPLETE, pay: { ...FULL_PAY, max: undefined } },
      ['pay-range-required:error'],
    ],
    // EU: some pay figure (range or starting pay).
    ['EU with a range', { locations: [{ country: 'FR' }], pay: { ...FULL_PAY, currency: 'EUR' } }, []],
    [
      'EU with starting pay only',
      { locations: [{ country: 'FR' }], pay: { min: 40_000, currency: 'EUR', period: 'YEAR' } },
      [],
    ],
    ['EU without pay', { locations: [{ country: 'IT' }] }, ['pay-required:error']],
    [
      'EU and California without pay: one range error',
      { locations: [{ country: 'IT' }, { city: 'Fresno', region: 'CA', country: 'US' }] },
      ['pay-range-required:error'],
    ],
    // No law: nothing required.
    ['Texas without pay', at('Austin', 'TX'), []],
  ])('%s', (_name, posting, expected) => {
    expect(payRules(posting)).toEqual(expected);
  });

  it('names every law that requires a missing item in one finding', () => {
    const [finding] = checkJobDescription(DOC, { remoteEligible: ['US'] }).findings.filter(
      (f) => f.rule === 'pay-range-required',
    );
    expect(finding?.message).toMatch(/Colorado.*New York City.*California.*Washington/);
  });

  it('points a missing item at the pay section heading, else at the title', () => {
    const withOffer = checkJobDescription(DOC, at('Fresno', 'CA')).findings.find(
      (f) => f.rule === 'pay-range-required',
    );
    expect(DOC.slice(withOffer!.from, withOffer!.to)).toBe('## What we offer');
    const bare = '# Engineer\n\nWe build tools.\n';
    const without = checkJobDescription(bare, at('Fresno', 'CA')).findings.find(
      (f) => f.rule === 'pay-range-required',
    );
    expect(bare.slice(without!.from, without!.to)).toBe('# Engineer');
  });
});

describe('open-ended pay in the text', () => {
  const nyc = { locations: [{ city: 'New York', region: 'NY', country: 'US' }], pay: FULL_PAY };
  it.each([
    ['The salary is $100,000 and up.', true],
    ['Base salary: $100k+ per year.', true],
    ['Pay starting at $100,000 a year.', true],
    ['Salary up to $120,000.', true],
    ['The salary is $100,000 to $120,000 a year.', false],
  ])('%s → open-ended: %s', (sentence, open) => {
    const rules = payRules(nyc, `${DOC}\n${sentence}\n`);
    expect(rules.includes('pay-open-ended:error')).toBe(open);
  });

  it('is not required where no law asks for a closed range (Colorado alone has no text rule)', () => {
    const co = { locations: [{ city: 'Denver', region: 'CO', country: 'US' }], ...COMPLETE };
    expect(payRules(co, `${DOC}\nThe salary is $100,000 and up.\n`)).toEqual([]);
  });
});

describe('gender-neutral job titles (EU)', () => {
  const eu: Posting = { locations: [{ country: 'ES' }], pay: { ...FULL_PAY, currency: 'EUR' } };
  it.each([
    ['# Salesman', ['pay-gendered-title:error']],
    ['# Waitress, weekend shifts', ['pay-gendered-title:error']],
    ['# Vertriebsmitarbeiter (m)', ['pay-gendered-title:error']],
    ['# Vertriebsmitarbeiter (m/w/d)', []],
    ['# Salesperson', []],
    ['# Human Resources Partner', []],
  ])('%s', (title, expected) => {
    expect(payRules(eu, `${title}\n\nWe sell.\n`)).toEqual(expected);
  });

  it('checks a title passed in the options when the document has none', () => {
    const f = checkJobDescription('We sell.\n', eu, { title: 'Chairman of the Board' }).findings;
    expect(f.filter((x) => x.rule === 'pay-gendered-title').map((x) => x.suggestions)).toEqual([['chair']]);
  });

  it('is not checked outside the EU', () => {
    expect(payRules({ locations: [{ country: 'GB' }] }, '# Salesman\n\nWe sell.\n')).toEqual([]);
  });
});

describe('text that contradicts the fields', () => {
  const ca: Posting = { locations: [{ city: 'Fresno', region: 'CA', country: 'US' }], pay: FULL_PAY };
  it.each([
    ['The salary is $100,000 to $120,000 per year.', false],
    ['The salary is $110k per year.', false],
    ['The salary is $90,000 to $120,000 per year.', true],
    ['The salary is $100,000 to $130,000 per year.', true],
    ['The salary is €100,000 to €120,000 per year.', true],
    ['The pay is $50 per hour.', true],
    ['A $2,000 learning budget and a salary you will like.', false],
    ['Three to five years of experience; pay is competitive.', false],
  ])('%s → mismatch: %s', (sentence, mismatch) => {
    expect(payRules(ca, `${DOC}\n${sentence}\n`).includes('pay-text-mismatch:warning')).toBe(mismatch);
  });
});

describe('no posting fields', () => {
  it('says the pay rules were not checked', () => {
    expect(payRules(null as unknown as Posting)).toEqual(['pay-fields-missing:info']);
  });
});
