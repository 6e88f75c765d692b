import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenService } from '../../src/auth/tokens.js';
import { type Harness, SECRET, startHarness } from './harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness({ config: { allowedOrigins: ['https://jd.example.com'] } });
  await h.store.createDocument({
    id: 'existing',
    title: 'Existing',
    department: 'Eng',
    content: 'text',
    createdBy: 'admin',
    createdByName: 'Admin',
  });
});

afterEach(async () => {
  await h.close();
});

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('upgrade authentication', () => {
  it('refuses a missing token with 401', async () => {
    const r = await h.refused('/ws/document/existing', { token: '' });
    expect(r).toEqual({
      status: 401,
      body: { code: 'UNAUTHORIZED', message: expect.stringContaining('Missing') },
    });
  });

  it('refuses an expired token with 401 TOKEN_EXPIRED', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ name: 'Old', permissions: ['document:*:write'], roles: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('old')
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 60)
      .sign(new TextEncoder().encode(SECRET));
    const r = await h.refused('/ws/document/existing', { token: expired });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await createTokenService('another-secret-that-is-long-enough-012345').sign(
      { sub: 'mallory', name: 'M', permissions: ['document:*:write'], roles: ['admin'] },
      60,
    );
    const r = await h.refused('/ws/document/existing', { token: forged });
    expect(r).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
  });

  it('refuses an alg:none token', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'mallory', exp, roles: ['admin'] })}.`;
    const r = await h.refused('/ws/document/existing', { token: none });
    expect(r).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
  });

  it('refuses garbage with 401 and never echoes the token', async () => {
    const r = await h.refused('/ws/document/existing', { token: 'not.a.jwt-secret-value' });
    expect(r.status).toBe(401);
    expect(JSON.stringify(r.body)).not.toContain('jwt-secret-value');
  });

  it('accepts the token as a subprotocol and selects jd-collab.v1', async () => {
    const client = await h.connect('existing', { viaSubprotocol: true });
    expect(client.ws.protocol).toBe('jd-collab.v1');
    const open = await client.nextOf('document.open');
    expect(open.payload).toMatchObject({
      documentId: 'existing',
      title: 'Existing',
      content: 'text',
      canWrite: true,
    });
  });
});

describe('upgrade authorisation and routing', () => {
  it('refuses a user without read permission with 403', async () => {
    const r = await h.refused('/ws/document/existing', { permissions: ['document:other:write'] });
    expect(r).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('grants access through a per-document permission and through the admin role', async () => {
    const reader = await h.connect('existing', { permissions: ['document:existing:read'] });
    expect((await reader.nextOf('document.open')).payload.canWrite).toBe(false);
    const admin = await h.connect('existing', { permissions: [], roles: ['admin'] });
    expect((await admin.nextOf('document.open')).payload.canWrite).toBe(true);
  });

  it('refuses an invalid document id with 400', async () => {
    for (const path of [
      '/ws/document/bad%20id',
      '/ws/document/',
      `/ws/document/${'x'.repeat(129)}`,
      '/ws/document/a/b',
    ]) {
      const r = await h.refused(path);
      expect(r.status, path).toBe(400);
      expect(r.body.code).toBe('INVALID_DOCUMENT_ID');
    }
  });

  it('answers 404 for another path', async () => {
    expect((await h.refused('/ws/elsewhere')).status).toBe(404);
  });

  it('never creates a missing document: 404 to writers, readers and administrators alike', async () => {
    for (const who of [
      { permissions: ['document:*:read'] },
      { permissions: ['document:*:write'] },
      { permissions: [], roles: ['admin'] },
    ]) {
      const r = await h.refused('/ws/document/brand-new', who);
      expect(r).toMatchObject({ status: 404, body: { code: 'DOCUMENT_NOT_FOUND' } });
    }
    expect(await h.store.findDocument('brand-new')).toBeNull();
    expect((await h.store.listDocuments()).map((d) => d.id)).not.toContain('brand-new');
  });

  it('refuses a malformed incarnation with 400', async () => {
    await h.store.createDocument({
      id: 'named',
      title: 'T',
      department: '',
      content: '',
      createdBy: 'x',
      createdByName: 'X',
    });
    const r = await h.refused('/ws/document/named?incarnation=not%20valid!');
    expect(r).toMatchObject({ status: 400, body: { code: 'INVALID_MESSAGE' } });
  });

  it('refuses a foreign Origin with 403 and accepts an allowed one', async () => {
    const r = await h.refused('/ws/document/existing', { headers: { Origin: 'https://evil.example.com' } });
    expect(r).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const ok = await h.connect('existing', { headers: { Origin: 'https://jd.example.com' } });
    await ok.nextOf('document.open');
  });

  it('counts refused and accepted connections in the metrics', async () => {
    await h.refused('/ws/document/existing', { token: '' });
    const ok = await h.connect('existing');
    await ok.nextOf('document.open');
    const text = await h.metrics.render();
    expect(text).toMatch(/websocket_connections_total\{status="rejected_auth"\} 1/);
    expect(text).toMatch(/websocket_connections_total\{status="accepted"\} 1/);
    expect(text).toMatch(/websocket_active_connections 1/);
  });
});
