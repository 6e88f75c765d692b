/**
 * Redis dies and comes back while clients on three nodes edit one document. The nodes use a
 * private redis-server (killed with SIGKILL and restarted, empty), never the shared one. The
 * periodic version check is off, so convergence proves that the nodes resubscribed and caught
 * up from PostgreSQL on 'reconnect'. Meanwhile /readyz says the broker is unavailable.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CollabClient } from '../../../client/src/index.js';
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
import { type PrivateRedis, startPrivateRedis, useTestServices } from './services.js';

const services = useTestServices();

let redis: PrivateRedis | undefined;
let nodes: TestNode[] = [];
let clients: CollabClient[] = [];

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await Promise.all(nodes.map((n) => n.server.close()));
  nodes = [];
  await redis?.kill();
  redis = undefined;
});

async function readyStatus(node: TestNode): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${node.server.url}/readyz`);
  const body = (await res.json()) as { code?: string };
  return { status: res.status, ...(body.code ? { code: body.code } : {}) };
}

describe('Redis restart during editing', () => {
  it('resubscribes, fills the gaps from PostgreSQL, and converges', async () => {
    redis = await startPrivateRedis();
    const schema = `s_${randomBytes(4).toString('hex')}`;
    const env = {
      DATABASE_URL: services.db.url,
      DATABASE_SCHEMA: schema,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'restart-test:',
      CLUSTER_CHECK_INTERVAL_MS: '0',
      PRESENCE_TTL_MS: '3000',
    };
    nodes = await Promise.all(['r-1', 'r-2', 'r-3'].map((id) => startNode(id, env)));
    await ensureDocument(nodes[0]!.server.store, 'redis-restart');
    const writers = await Promise.all(
      ['a', 'b', 'c'].map(async (name, i) => {
        const client = connectClient(nodes[i]!.wsUrl, 'redis-restart', await tokenFor(name));
        clients.push(client);
        return writer(client, name, 300 + i);
      }),
    );
    await expect.poll(() => clients.every((c) => c.isOpen), { timeout: 10_000 }).toBe(true);
    await typeFor(writers, 800);

    await redis.kill();
    await expect
      .poll(() => readyStatus(nodes[0]!), { timeout: 10_000 })
      .toEqual({
        status: 503,
        code: 'BROKER_UNAVAILABLE',
      });
    // Edits go on (PostgreSQL still orders and stores them); only a's node hears of a's edits now.
    await typeFor(writers.slice(0, 1), 1000);
    await writers[0]!.client.whenSynced();
    const [a, b, c] = clients as [CollabClient, CollabClient, CollabClient];
    expect(b.text).not.toBe(a.text);

    await redis.start();
    await expect
      .poll(async () => (await Promise.all(nodes.map(readyStatus))).every((r) => r.status === 200), {
        timeout: 15_000,
      })
      .toBe(true);
    // Nobody types: the other nodes can only learn of a's edits by catching up on 'reconnect'.
    await expect.poll(() => b.text === a.text && c.text === a.text, { timeout: 10_000 }).toBe(true);

    // Delivery works again.
    await typeFor(writers, 800);
    const content = await converged(writers, () =>
      contentInPostgres(services.db.url, schema, 'redis-restart'),
    );
    expect(expectEveryTokenOnce(content, writers)).toBeGreaterThan(50);
  });
});
