/**
 * PostgreSQL stalls (a proxy between the node and the database keeps every connection open but
 * forwards nothing, so no error ever comes back) while two clients keep typing. Before the
 * breakers, the commit in flight hung for good and with it the document. Now: the changes are
 * refused with STORAGE_UNAVAILABLE within STORAGE_TIMEOUT_MS, /readyz is 503, the storage_write
 * breaker opens (retryAfter then is what is left of its half-open delay), the clients keep their
 * edits; when the proxy forwards again (the stalled queries complete, some commits that timed out
 * turn out stored), everything converges with every token exactly once.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CollabClient } from '../../../client/src/index.js';
import { REDIS_URL } from '../pubsub/redis-test-support.js';
import { ensureDocument } from '../support/documents.js';
import {
  connectClient,
  contentInPostgres,
  converged,
  expectEveryTokenOnce,
  typeFor,
  writer,
} from './editing.js';
import { startNode, type TestNode, tokenFor } from './nodes.js';
import { type PausingProxy, startPausingProxy } from './pausing-proxy.js';
import { useTestServices } from './services.js';

const services = useTestServices();
const TIMEOUT_MS = 800;
const HALF_OPEN_MS = 1500;

let proxy: PausingProxy | undefined;
let node: TestNode | undefined;
let clients: CollabClient[] = [];

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  proxy?.resume(); // let the node close its pool cleanly
  await node?.server.close();
  node = undefined;
  await proxy?.close();
  proxy = undefined;
});

async function readyz(url: string): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3000) });
  const body = (await res.json()) as { code?: string };
  return { status: res.status, ...(body.code ? { code: body.code } : {}) };
}

async function breakerState(url: string, dependency: string): Promise<number | null> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`dependency_breaker_state{dependency="${dependency}"}`));
  return line === undefined ? null : Number(line.split(' ').at(-1));
}

describe('PostgreSQL stalls (connections open, nothing answers)', () => {
  it('refuses changes within the timeout, opens the breaker, loses nothing and recovers', async () => {
    const pgPort = Number(new URL(services.db.url).port || 5432);
    proxy = await startPausingProxy(pgPort);
    const schema = `s_${randomBytes(4).toString('hex')}`;
    node = await startNode('stall-1', {
      DATABASE_URL: services.db.urlWithPort(proxy.port),
      DATABASE_SCHEMA: schema,
      REDIS_URL,
      REDIS_KEY_PREFIX: services.prefix,
      STORAGE_TIMEOUT_MS: String(TIMEOUT_MS),
      BREAKER_FAILURE_THRESHOLD: '2',
      BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
    });
    const url = node.server.url;
    await ensureDocument(node.server.store, 'pg-stall');
    const writers = await Promise.all(
      ['a', 'b'].map(async (name, i) => {
        const client = connectClient(node!.wsUrl, 'pg-stall', await tokenFor(name));
        clients.push(client);
        return writer(client, name, 700 + i);
      }),
    );
    const refusals: { code: string; at: number; retryAfter: unknown }[] = [];
    for (const c of clients) {
      c.on('error', (error) =>
        refusals.push({ code: error.code, at: Date.now(), retryAfter: error.details.retryAfter }),
      );
    }
    await expect.poll(() => clients.every((c) => c.isOpen), { timeout: 10_000 }).toBe(true);
    await typeFor(writers, 600);
    await Promise.all(clients.map((c) => c.whenSynced()));
    expect(await breakerState(url, 'storage_write')).toBe(0);

    proxy.stall();
    const stalledAt = Date.now();
    let pendingDuringStall = 0;
    let sawOpen = false;
    while (Date.now() < stalledAt + 3000) {
      await typeFor(writers, 100);
      pendingDuringStall = Math.max(pendingDuringStall, ...clients.map((c) => c.state.pendingCount));
      sawOpen ||= (await breakerState(url, 'storage_write')) === 2;
    }
    const storage = refusals.filter((r) => r.code === 'STORAGE_UNAVAILABLE');
    expect(storage.length).toBeGreaterThan(0);
    // The first change sent after the stall hung for TIMEOUT_MS at most, not for good.
    expect(storage[0]!.at - stalledAt).toBeLessThan(TIMEOUT_MS + 700);
    // Once the breaker is open the hint is what is left of its half-open delay.
    expect(storage.some((r) => typeof r.retryAfter === 'number' && r.retryAfter <= HALF_OPEN_MS)).toBe(true);
    expect(sawOpen).toBe(true);
    expect(pendingDuringStall).toBeGreaterThan(0);
    expect(await readyz(url)).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });

    proxy.resume();
    await expect.poll(async () => (await readyz(url)).status, { timeout: 15_000 }).toBe(200);
    await typeFor(writers, 600);
    const content = await converged(writers, () => contentInPostgres(services.db.url, schema, 'pg-stall'));
    expect(expectEveryTokenOnce(content, writers)).toBeGreaterThan(30);
    expect(await breakerState(url, 'storage_write')).toBe(0);
  });
});
