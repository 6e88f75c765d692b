import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createSqliteStore } from '../../src/storage/index.js';
import { SECRET, type TestApp, testApp } from './helpers.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('buildApp', () => {
  it('sends security headers on every response, errors included', async () => {
    t = await testApp();
    for (const url of ['/healthz', '/api/documents', '/nowhere']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("connect-src 'self' ws: wss:");
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    const api = await t.app.inject({ method: 'GET', url: '/api/documents' });
    expect(api.headers['cache-control']).toBe('no-store');
  });

  it('adds HSTS in production', async () => {
    t = await testApp({ production: true });
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    t = await testApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing?token=secret' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'NOT_FOUND', message: 'No route for GET /api/nothing' });
  });

  it('answers an unsupported content type with 415', async () => {
    t = await testApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/dev-login',
      headers: { 'content-type': 'text/plain' },
      payload: 'name=Alice',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    t = await testApp();
    const kept = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(kept.headers['x-request-id']).toBe('trace-123');
    const replaced = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'a b\u0007' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows a hint at / when the web app is not built', async () => {
    t = await testApp();
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'jd-collab', message: expect.stringContaining('not built') });
  });

  it('logs one line per request with its correlationId and without tokens', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = loadConfig({ JWT_SECRET: SECRET, LOG_LEVEL: 'info', WEB_DIR: '/nonexistent' });
    const store = createSqliteStore({ filename: ':memory:' });
    await store.init();
    const tokens = createTokenService(SECRET);
    const app = await buildApp({
      config,
      store,
      tokens,
      metrics: createMetrics({ defaultMetrics: false }),
      logger: createLogger(config, stream),
    });
    const token = await tokens.sign({ sub: 'u-1', name: 'One', permissions: [], roles: [] }, 60);
    await app.inject({
      method: 'GET',
      url: `/api/documents?token=${token}`,
      headers: { authorization: `Bearer ${token}`, 'x-request-id': 'req-42' },
    });
    await app.close();
    await store.close();
    const records = lines.map((l) => JSON.parse(l));
    const completed = records.find((r) => r.msg === 'request completed');
    expect(completed).toMatchObject({
      correlationId: 'req-42',
      req: { method: 'GET' },
      res: { statusCode: 200 },
    });
    expect(lines.join('')).not.toContain(token);
  });
});

describe('serving the web app', () => {
  let webDir: string;
  beforeAll(() => {
    webDir = mkdtempSync(join(tmpdir(), 'jd-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>jd-collab</title><div id="root"></div>');
    writeFileSync(join(webDir, 'assets', 'app-1234.js'), 'console.log("app");');
  });
  afterAll(() => rmSync(webDir, { recursive: true, force: true }));

  it('serves index.html at / without long caching', async () => {
    t = await testApp({ webDir });
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets as immutable', async () => {
    t = await testApp({ webDir });
    const res = await t.app.inject({ method: 'GET', url: '/assets/app-1234.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log("app");');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('falls back to index.html for client-side routes', async () => {
    t = await testApp({ webDir });
    const res = await t.app.inject({ method: 'GET', url: '/documents/senior-engineer?tab=history' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div id="root">');
  });

  it('keeps JSON 404s for /api and /ws paths and for other methods', async () => {
    t = await testApp({ webDir });
    for (const url of ['/api/unknown', '/ws/document/x']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
    expect((await t.app.inject({ method: 'POST', url: '/documents/x' })).statusCode).toBe(404);
  });

  it('does not serve files outside the web folder', async () => {
    t = await testApp({ webDir });
    const res = await t.app.inject({ method: 'GET', url: '/../../../etc/passwd' });
    expect(res.body).not.toContain('root:');
  });
});
