/**
 * schema.org JobPosting JSON-LD (issue 21, part 5): every property is a JobPosting property of
 * schema.org, the ones Google requires are present (or the endpoint names what is missing), the
 * description is sanitised HTML, and pay, places and remote eligibility take their schema.org shapes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jobPosting } from '../../src/documents/job-posting.js';
import { createDoc, type TestApp, testApp } from './helpers.js';

/** The JobPosting properties of schema.org (https://schema.org/JobPosting) used here, and JSON-LD's own. */
const JOB_POSTING_PROPERTIES = new Set([
  '@context',
  '@type',
  'title',
  'description',
  'datePosted',
  'validThrough',
  'employmentType',
  'hiringOrganization',
  'jobLocation',
  'jobLocationType',
  'applicantLocationRequirements',
  'baseSalary',
  'identifier',
]);
/** What Google's job-posting guidelines require. */
const REQUIRED = ['title', 'description', 'datePosted', 'hiringOrganization'];

const CONTENT = `# Data Analyst

You will turn our sales data into decisions. <script>alert(1)</script>

## Responsibilities

- Build **weekly** reports in [Looker](https://looker.example/).
- Work with _finance_ and sales.

<img src="x" onerror="alert(2)">
`;

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('jobPosting', () => {
  it('fills every required property from the document, posting fields and organisation', () => {
    const { jsonLd, missing } = jobPosting(
      {
        id: 'analyst',
        title: 'Data Analyst',
        content: CONTENT,
        datePosted: Date.UTC(2026, 11, 1, 15),
        posting: {
          employmentType: 'FULL_TIME',
          workplace: 'hybrid',
          locations: [{ city: 'New York', region: 'NY', country: 'US' }],
          pay: { min: 90_000, max: 110_000, currency: 'USD', period: 'YEAR' },
          validThrough: '2027-01-31',
        },
      },
      { name: 'Acme Ltd', url: 'https://acme.example/' },
    );
    expect(missing).toEqual([]);
    for (const key of Object.keys(jsonLd)) expect(JOB_POSTING_PROPERTIES.has(key), key).toBe(true);
    for (const key of REQUIRED) expect(jsonLd[key], key).toBeDefined();
    expect(jsonLd).toMatchObject({
      '@context': 'https://schema.org/',
      '@type': 'JobPosting',
      title: 'Data Analyst',
      datePosted: '2026-12-01',
      validThrough: '2027-01-31',
      employmentType: 'FULL_TIME',
      hiringOrganization: { '@type': 'Organization', name: 'Acme Ltd', sameAs: 'https://acme.example/' },
      jobLocation: [
        {
          '@type': 'Place',
          address: {
            '@type': 'PostalAddress',
            addressLocality: 'New York',
            addressRegion: 'NY',
            addressCountry: 'US',
          },
        },
      ],
      baseSalary: {
        '@type': 'MonetaryAmount',
        currency: 'USD',
        value: { '@type': 'QuantitativeValue', minValue: 90_000, maxValue: 110_000, unitText: 'YEAR' },
      },
    });
    const html = jsonLd.description as string;
    expect(html).toContain(
      '<li>Build <strong>weekly</strong> reports in <a href="https://looker.example/">Looker</a>.</li>',
    );
    expect(html).toContain('<h2>Responsibilities</h2>');
    expect(html).not.toMatch(/<script|onerror|<img|alert/);
    expect(html).not.toContain('<h1>'); // the title is `title`
  });

  it('describes a remote job by where applicants may live, and names what is missing', () => {
    const remote = jobPosting(
      {
        id: 'r',
        title: 'Engineer',
        content: 'Build things.',
        datePosted: 0,
        posting: { workplace: 'remote', remoteEligible: ['US', 'US-CA'] },
      },
      { name: 'Acme Ltd' },
    );
    expect(remote.missing).toEqual([]);
    expect(remote.jsonLd).toMatchObject({
      jobLocationType: 'TELECOMMUTE',
      applicantLocationRequirements: [
        { '@type': 'Country', name: 'US' },
        { '@type': 'State', name: 'US-CA' },
      ],
    });
    expect(remote.jsonLd.jobLocation).toBeUndefined();
    const bare = jobPosting({ id: 'b', title: 'Engineer', content: '', datePosted: 0, posting: {} }, null);
    expect(bare.missing).toEqual(['description', 'hiringOrganization', 'jobLocation']);
  });
});

describe('GET /api/documents/:id/job-posting', () => {
  async function get(id: string) {
    const headers = await t!.auth('u-reader', ['document:*:read']);
    const res = await t!.app.inject({ method: 'GET', url: `/api/documents/${id}/job-posting`, headers });
    return {
      status: res.statusCode,
      type: res.headers['content-type'],
      body: res.json() as Record<string, unknown>,
    };
  }

  it('answers application/ld+json once the posting is complete, 422 naming what is missing before', async () => {
    t = await testApp({ env: { HIRING_ORGANIZATION_NAME: 'Acme Ltd' } });
    await createDoc(t.store, 'analyst', CONTENT, 'Data Analyst');
    const incomplete = await get('analyst');
    expect(incomplete.status).toBe(422);
    expect(incomplete.body).toMatchObject({ code: 'JOB_POSTING_INCOMPLETE', missing: ['jobLocation'] });
    await t.store.updateDocument('analyst', {
      posting: { locations: [{ city: 'Berlin', country: 'DE' }] },
      updatedBy: 'u',
      updatedByName: 'U',
    });
    const complete = await get('analyst');
    expect(complete.status).toBe(200);
    expect(complete.type).toMatch(/^application\/ld\+json/);
    expect(complete.body).toMatchObject({
      '@type': 'JobPosting',
      title: 'Data Analyst',
      hiringOrganization: { name: 'Acme Ltd' },
    });
  });

  it('names the hiring organisation as missing while HIRING_ORGANIZATION_NAME is unset', async () => {
    t = await testApp();
    await createDoc(t.store, 'remote', CONTENT, 'Engineer');
    await t.store.updateDocument('remote', {
      posting: { workplace: 'remote', remoteEligible: ['DE'] },
      updatedBy: 'u',
      updatedByName: 'U',
    });
    expect((await get('remote')).body).toMatchObject({
      code: 'JOB_POSTING_INCOMPLETE',
      missing: ['hiringOrganization'],
    });
    expect((await get('nothing')).status).toBe(404);
  });
});
