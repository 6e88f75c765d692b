import { userColor } from '@jd-collab/protocol';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { devUserId } from '../../src/http/auth-routes.js';
import { SECRET, type TestApp, testApp } from './helpers.js';

describe('auth routes', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const devLogin = (body: unknown) =>
    t!.app.inject({ method: 'POST', url: '/api/auth/dev-login', payload: body as object });

  it('issues a token for a name, with global write permission', async () => {
    t = await testApp();
    const before = Date.now();
    const res = await devLogin({ name: '  Alice Martin ' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toEqual({
      id: 'u-alice-martin',
      name: 'Alice Martin',
      color: userColor('u-alice-martin'),
    });
    const principal = await t.tokens.verify(body.token);
    expect(principal).toMatchObject({
      userId: 'u-alice-martin',
      name: 'Alice Martin',
      permissions: ['document:*:write'],
      roles: [],
    });
    expect(body.expiresAt).toBe(principal.expiresAt);
    expect(body.expiresAt - before).toBeGreaterThan(12 * 3600_000 - 5000);
  });

  it('gives the same name the same user id', async () => {
    t = await testApp();
    const a = (await devLogin({ name: 'Zoë Smith' })).json();
    const b = (await devLogin({ name: 'zoe  smith' })).json();
    expect(a.user.id).toBe(b.user.id);
    expect(a.user.name).toBe('Zoë Smith');
    expect((await devLogin({ name: 'Bob' })).json().user.id).not.toBe(a.user.id);
  });

  it('derives stable ids for names without Latin letters', () => {
    expect(devUserId('张伟')).toMatch(/^u-[0-9a-f]{16}$/);
    expect(devUserId('张伟')).toBe(devUserId(' 张伟 '));
    expect(devUserId('张伟')).not.toBe(devUserId('李娜'));
  });

  it.each([
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(61) }, '60'],
    [{ name: 42 }, 'name'],
    [{ name: 'a\u0000b' }, 'control'],
    [{ name: 'a\ud800' }, 'surrogate'],
    [{ name: 'Alice', admin: true }, 'admin'],
  ])('refuses %j with INVALID_MESSAGE', async (body, mention) => {
    t = await testApp();
    const res = await devLogin(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_MESSAGE');
    expect(res.json().message).toContain(mention);
  });

  it('refuses a body that is not JSON with INVALID_JSON', async () => {
    t = await testApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/dev-login',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_JSON');
  });

  it('does not exist in production', async () => {
    t = await testApp({ production: true });
    const res = await devLogin({ name: 'Alice' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('describes the bearer with /api/auth/me', async () => {
    t = await testApp();
    const { token } = (await devLogin({ name: 'Alice' })).json();
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      user: { id: 'u-alice', name: 'Alice', color: userColor('u-alice') },
      permissions: ['document:*:write'],
      roles: [],
      expiresAt: expect.any(Number),
    });
  });

  it('refuses /api/auth/me without a valid token', async () => {
    t = await testApp();
    const none = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('UNAUTHORIZED');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);

    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(SECRET));
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('TOKEN_EXPIRED');
  });
});
