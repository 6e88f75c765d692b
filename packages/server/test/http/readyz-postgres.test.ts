/**
 * /readyz while PostgreSQL does not answer: the whole server on a real port, its PostgreSQL
 * (a database of this file's own) reached through a proxy that stalls, so connections stay open
 * and queries never come back. /readyz must still answer 503 within a second.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../cluster/services.js';
import { type StallingProxy, startStallingProxy } from './stalling-proxy.js';

let db: TestDatabase;
let proxy: StallingProxy | undefined;
let server: RunningServer | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});
afterEach(async () => {
  // The proxy first: cutting the stalled connections lets the pool end.
  await proxy?.close();
  await server?.close();
  proxy = undefined;
  server = undefined;
});

async function readyz(url: string): Promise<{ status: number; code?: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { code?: string };
  return { status: res.status, ...(body.code ? { code: body.code } : {}), ms: performance.now() - started };
}

it('answers 503 STORAGE_UNAVAILABLE within a second while PostgreSQL stalls, 200 once it answers', async () => {
  const pgPort = Number(new URL(db.url).port || 5432);
  proxy = await startStallingProxy(pgPort);
  server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: 'readyz-test-secret-0123456789abcdef-0123',
      LOG_LEVEL: 'silent',
      WEB_DIR: '/nonexistent/jd-collab-web',
      SHUTDOWN_TIMEOUT_MS: '2000',
      DATABASE_URL: db.urlWithPort(proxy.port),
      DATABASE_SCHEMA: `s_${randomBytes(4).toString('hex')}`,
    }),
    { seed: false },
  );
  expect(await readyz(server.url)).toMatchObject({ status: 200 });

  proxy.stall();
  for (let probe = 0; probe < 3; probe++) {
    const answer = await readyz(server.url);
    expect(answer).toMatchObject({ status: 503, code: 'STORAGE_UNAVAILABLE' });
    expect(answer.ms).toBeLessThan(1000);
  }
  // Probes that overlap (several load balancers) are bounded the same way.
  const overlapping = await Promise.all([readyz(server.url), readyz(server.url), readyz(server.url)]);
  for (const answer of overlapping) {
    expect(answer).toMatchObject({ status: 503, code: 'STORAGE_UNAVAILABLE' });
    expect(answer.ms).toBeLessThan(1000);
  }

  proxy.resume();
  const url = server.url;
  await expect.poll(async () => (await readyz(url)).status, { timeout: 10_000 }).toBe(200);
});
