/** Unit tests of the engine's pieces: offsets, options, the report's shape, gender tone, schema. */
import { describe, expect, it } from 'vitest';
import { checkJobDescription, genderVerdict, postingSchema, utf16ToCodePoints } from '../src/index.js';

describe('utf16ToCodePoints', () => {
  it('is the identity without astral characters (accents are one unit)', () => {
    const f = utf16ToCodePoints('café naïve');
    expect([0, 4, 10].map(f)).toEqual([0, 4, 10]);
  });
  it('counts each surrogate pair once', () => {
    const text = 'a😀b🚀c';
    const f = utf16ToCodePoints(text);
    expect([0, 1, 3, 4, 6, 7].map(f)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('configuration', () => {
  const text = '# Engineer\n\nWe want a rockstar. The candidate will code.\n';
  const rules = (options = {}) =>
    checkJobDescription(text, null, options).findings.map((f) => `${f.rule}:${f.severity}`);

  it('disables a rule with "off", false or enabled: false', () => {
    for (const setting of ['off', false, { enabled: false }] as const) {
      expect(rules({ rules: { jargon: setting } })).not.toContain('jargon:warning');
    }
  });
  it('overrides a severity', () => {
    expect(rules({ rules: { jargon: 'error' } })).toContain('jargon:error');
    expect(rules({ rules: { 'third-person-candidate': { severity: 'warning' } } })).toContain(
      'third-person-candidate:warning',
    );
  });
  it('moves the score with the severity', () => {
    const base = checkJobDescription(text, null).score.parts.clarity;
    const raised = checkJobDescription(text, null, { rules: { jargon: 'error' } }).score.parts.clarity;
    expect(raised).toBe(base - 7);
  });
});

describe('the report', () => {
  it('has a score of 100 split in four parts for a text without findings', () => {
    const r = checkJobDescription('', null, {
      rules: { 'missing-section': 'off', 'word-count': 'off', 'pay-fields-missing': 'off' },
    });
    expect(r).toEqual({
      score: { total: 100, parts: { inclusive: 25, clarity: 25, structure: 25, pay: 25 } },
      genderTone: { masculine: [], feminine: [], verdict: 'neutral' },
      readability: { grade: 0, words: 0 },
      findings: [],
    });
  });
  it('counts prose words only: not headings, code or inline code', () => {
    const r = checkJobDescription(
      '# Three word title\n\nFour words of prose.\n\n```\nignored code here\n```\n',
      null,
    );
    expect(r.readability.words).toBe(4);
  });
});

describe('gender tone', () => {
  it('follows gender-decoder: feminine minus masculine, strongly past 3', () => {
    expect([
      genderVerdict(0, 0),
      genderVerdict(1, 2),
      genderVerdict(0, 4),
      genderVerdict(2, 1),
      genderVerdict(5, 1),
    ]).toEqual([
      'neutral',
      'feminine-coded',
      'strongly feminine-coded',
      'masculine-coded',
      'strongly masculine-coded',
    ]);
  });
  it('lists the coded words and leaves the traps out', () => {
    const r = checkJobDescription(
      '# Leadership\n\nWe are a leading provider of analytics and need an analyst who is competitive, data-driven and supportive, with competitive pay.\n',
      null,
    );
    expect(r.genderTone).toEqual({
      masculine: ['competitive', 'driven'],
      feminine: ['supportive'],
      verdict: 'masculine-coded',
    });
  });
});

describe('postingSchema', () => {
  it('accepts the fields of issue 21, part 2', () => {
    const posting = {
      employmentType: 'FULL_TIME',
      workplace: 'hybrid',
      locations: [{ city: 'New York', region: 'NY', country: 'US' }],
      remoteEligible: ['US', 'US-CA'],
      pay: { min: 100, max: 200, currency: 'USD', period: 'HOUR' },
      benefits: 'Health',
      variablePay: 'Bonus',
      validThrough: '2026-12-31',
    };
    expect(postingSchema.parse(posting)).toEqual(posting);
  });
  it.each([
    ['a lower-case country', { locations: [{ country: 'us' }] }],
    ['an unknown period', { pay: { min: 1, currency: 'USD', period: 'FORTNIGHT' } }],
    ['min above max', { pay: { min: 2, max: 1, currency: 'USD', period: 'YEAR' } }],
    ['a bad currency', { pay: { min: 1, currency: 'dollars', period: 'YEAR' } }],
    ['an unknown field', { salary: 1 }],
    ['a bad date', { validThrough: '31/12/2026' }],
  ])('refuses %s', (_name, posting) => {
    expect(postingSchema.safeParse(posting).success).toBe(false);
  });
});
