/**
 * REST rate limits: sign-in per client address, document creation and writes per user. Past a
 * limit: 429 RATE_LIMITED with the API's `{code, message}` and Retry-After, and nothing done.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDoc, type TestApp, testApp } from './helpers.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const WRITER = ['document:*:write'];

function expectRefused(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(res.statusCode).toBe(429);
  expect(res.json()).toEqual({ code: 'RATE_LIMITED', message: expect.stringMatching(/.{10,}/) });
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('REST rate limits', () => {
  it('limits sign-ins per client address', async () => {
    t = await testApp({ env: { REST_SIGN_INS_PER_MINUTE: '3' } });
    const { app } = t;
    const signIn = (name: string, remoteAddress = '198.51.100.7') =>
      app.inject({ method: 'POST', url: '/api/auth/dev-login', payload: { name }, remoteAddress });
    for (const name of ['Ada', 'Bob', 'Cy']) expect((await signIn(name)).statusCode).toBe(200);
    expectRefused(await signIn('Dee'));
    // Another address has its own budget.
    expect((await signIn('Dee', '198.51.100.8')).statusCode).toBe(200);
  });

  it('limits document creation per user, and creates nothing past the limit', async () => {
    t = await testApp({ env: { REST_CREATES_PER_MINUTE: '2' } });
    const { app, store } = t;
    const create = async (user: string, title: string) =>
      app.inject({
        method: 'POST',
        url: '/api/documents',
        headers: await t!.auth(user, WRITER),
        payload: { title },
      });
    expect((await create('u-1', 'One')).statusCode).toBe(201);
    expect((await create('u-1', 'Two')).statusCode).toBe(201);
    expectRefused(await create('u-1', 'Three'));
    expect(await store.listDocuments()).toHaveLength(2);
    expect((await create('u-2', 'Other user')).statusCode).toBe(201);
  });

  it('limits writes (PATCH, DELETE, POST) per user, not reads', async () => {
    t = await testApp({ env: { REST_WRITES_PER_MINUTE: '3' } });
    const { app, store } = t;
    await createDoc(store, 'doc-a');
    const as = (user: string) => t!.auth(user, WRITER, ['admin']);
    const patch = async (user: string, title: string) =>
      app.inject({
        method: 'PATCH',
        url: '/api/documents/doc-a',
        headers: await as(user),
        payload: { title },
      });
    for (const title of ['A', 'B', 'C']) expect((await patch('u-1', title)).statusCode).toBe(200);
    expectRefused(await patch('u-1', 'D'));
    expect((await store.getDocument('doc-a'))?.title).toBe('C');
    expectRefused(
      await app.inject({ method: 'DELETE', url: '/api/documents/doc-a', headers: await as('u-1') }),
    );
    expectRefused(
      await app.inject({
        method: 'POST',
        url: '/api/documents',
        headers: await as('u-1'),
        payload: { title: 'X' },
      }),
    );
    expect(await store.getDocument('doc-a')).not.toBeNull();
    expect(
      (await app.inject({ method: 'GET', url: '/api/documents/doc-a', headers: await as('u-1') })).statusCode,
    ).toBe(200);
    expect((await patch('u-2', 'E')).statusCode).toBe(200);
  });

  it('counts refusals in http_rate_limited_total', async () => {
    t = await testApp({ env: { REST_SIGN_INS_PER_MINUTE: '1' } });
    const { app } = t;
    for (const name of ['Ada', 'Bob'])
      await app.inject({ method: 'POST', url: '/api/auth/dev-login', payload: { name } });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/http_rate_limited_total\{limit="sign_in"\} 1/);
  });
});
