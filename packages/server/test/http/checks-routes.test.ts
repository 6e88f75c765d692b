/**
 * Writing checks over REST (issue 21, part 5): GET /api/documents/:id/checks answers the engine's
 * report for the text at a version, and publishing is refused with CHECKS_FAILED while a check
 * finds an error (a draft still full of template placeholders cannot be set to Published).
 */
import { checkJobDescription } from '@jd-collab/checks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobDescriptionTemplate } from '../../src/seed/index.js';
import { createDoc, type TestApp, testApp } from './helpers.js';

const CLEAN = `# Payroll Specialist

We are looking for a Payroll Specialist to run our monthly payroll for 400 people across two
countries, keep it accurate and on time, and make it simpler for everyone who depends on it.

## About the team

You will join a finance team of six people who care about getting the details right. We work
closely with People Operations and with our external accountants, and we plan our work together.

## Responsibilities

- Run the monthly payroll and check every change before it goes out.
- Answer questions from employees about their pay slips within two working days.
- Keep payroll records and reports ready for the yearly audit.
- Improve one payroll process each quarter with the team.

## Requirements

- Two or more years of payroll experience in a company of at least 100 people.
- Good knowledge of payroll taxes and social security contributions.
- Clear written communication in English.

## What we offer

- A salary between 52,000 and 60,000 EUR a year.
- 30 days of paid holiday and a pension plan.
- A learning budget of 1,000 EUR a year and flexible working hours.

If this sounds like you, we would like to hear from you. You do not need to meet every
requirement to apply.
`;

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.close();
});

async function call(method: 'GET' | 'PATCH', url: string, perms: string[], body?: object) {
  const headers = await t.auth('u-caller', perms);
  const res = await t.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body }) });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

describe('GET /api/documents/:id/checks', () => {
  it("answers the engine's report for the text at a version", async () => {
    const template = jobDescriptionTemplate('Data Engineer', 'Data');
    await createDoc(t.store, 'draft', template);
    const res = await call('GET', '/api/documents/draft/checks', ['document:*:read']);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ documentId: 'draft', version: 0, ...checkJobDescription(template, null) });
    expect((res.body.findings as { rule: string }[]).some((f) => f.rule.includes('placeholder'))).toBe(true);
  });

  it('refuses a reader without access, a bad version and an unknown document', async () => {
    await createDoc(t.store, 'draft', 'x');
    expect((await call('GET', '/api/documents/draft/checks', ['document:other:read'])).status).toBe(403);
    expect(
      (await call('GET', '/api/documents/draft/checks?version=x', ['document:*:read'])).body,
    ).toMatchObject({
      code: 'INVALID_MESSAGE',
    });
    expect(
      (await call('GET', '/api/documents/draft/checks?version=9', ['document:*:read'])).body,
    ).toMatchObject({
      code: 'VERSION_NOT_FOUND',
    });
    expect((await call('GET', '/api/documents/none/checks', ['document:*:read'])).status).toBe(404);
  });
});

describe('posting fields', () => {
  it('are set, merged and cleared with PATCH, validated at the edge, and read by the checks', async () => {
    await createDoc(t.store, 'clean', CLEAN);
    const w = ['document:*:write'];
    const nyc = { city: 'New York', region: 'NY', country: 'US' };
    expect(
      (await call('PATCH', '/api/documents/clean', w, { posting: { locations: [nyc] } })).body,
    ).toMatchObject({
      posting: { locations: [nyc] },
    });
    const both = await call('PATCH', '/api/documents/clean', w, { posting: { workplace: 'onsite' } });
    expect(both.body.posting).toEqual({ locations: [nyc], workplace: 'onsite' });
    for (const bad of [
      { workplace: 'moon' },
      { locations: [{ country: 'usa' }] },
      { pay: { min: 9, max: 1, currency: 'USD', period: 'YEAR' } },
      { benefits: 'a\u0000b' },
      { extra: 1 },
    ]) {
      const res = await call('PATCH', '/api/documents/clean', w, { posting: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.code).toBe('INVALID_MESSAGE');
    }
    expect((await t.store.getDocument('clean'))?.posting).toEqual({ locations: [nyc], workplace: 'onsite' });

    // New York City requires a pay range in the posting: without one, publishing is refused.
    const refused = await call('PATCH', '/api/documents/clean', w, { status: 'published' });
    expect(refused.status).toBe(409);
    expect((refused.body.findings as { category: string }[]).some((f) => f.category === 'pay')).toBe(true);
    const pay = { min: 52_000, max: 60_000, currency: 'USD', period: 'YEAR' };
    await call('PATCH', '/api/documents/clean', w, {
      posting: { pay, benefits: '30 days of paid holiday, pension plan' },
    });
    const checks = await call('GET', '/api/documents/clean/checks', ['document:*:read']);
    expect(
      (checks.body.findings as { severity: string; category: string }[]).filter(
        (f) => f.severity === 'error',
      ),
    ).toEqual([]);
    expect((await call('PATCH', '/api/documents/clean', w, { status: 'published' })).status).toBe(200);
    // null clears a field.
    expect(
      (await call('PATCH', '/api/documents/clean', w, { posting: { workplace: null } })).body.posting,
    ).toEqual({
      locations: [nyc],
      pay,
      benefits: '30 days of paid holiday, pension plan',
    });
  });
});

describe('the publish gate', () => {
  it('refuses to publish while a check finds an error, and publishes once none does', async () => {
    await createDoc(t.store, 'draft', jobDescriptionTemplate('Data Engineer', 'Data'));
    const refused = await call('PATCH', '/api/documents/draft', ['document:*:write'], {
      status: 'published',
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CHECKS_FAILED', version: 0 });
    const findings = refused.body.findings as { severity: string }[];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.severity === 'error')).toBe(true);
    expect((await t.store.getDocument('draft'))?.status).toBe('draft');
    // Other status changes are not gated.
    expect(
      (await call('PATCH', '/api/documents/draft', ['document:*:write'], { status: 'review' })).status,
    ).toBe(200);

    expect(checkJobDescription(CLEAN, null).findings.filter((f) => f.severity === 'error')).toEqual([]);
    await createDoc(t.store, 'clean', CLEAN);
    const published = await call('PATCH', '/api/documents/clean', ['document:*:write'], {
      status: 'published',
    });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published' });
  });
});
