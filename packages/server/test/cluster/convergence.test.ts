/**
 * Three nodes sharing one PostgreSQL database and one Redis, clients spread over them, all
 * editing one document at once: everyone converges, and PostgreSQL holds the same text.
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
import { useTestServices } from './services.js';

const services = useTestServices();

let nodes: TestNode[] = [];
let clients: CollabClient[] = [];

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await Promise.all(nodes.map((n) => n.server.close()));
  nodes = [];
});

describe('three nodes, one document', () => {
  it('converges with clients on every node, and PostgreSQL holds the same text', async () => {
    const schema = `s_${randomBytes(4).toString('hex')}`;
    // No periodic version check: what the nodes learn of each other comes through Redis (or a
    // version-taken on their own commit).
    const env = {
      DATABASE_URL: services.db.url,
      DATABASE_SCHEMA: schema,
      REDIS_URL,
      REDIS_KEY_PREFIX: services.prefix,
      CLUSTER_CHECK_INTERVAL_MS: '0',
    };
    nodes = await Promise.all(['node-1', 'node-2', 'node-3'].map((id) => startNode(id, env)));
    await ensureDocument(nodes[0]!.server.store, 'spread');
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const writers = await Promise.all(
      names.map(async (name, i) => {
        const client = connectClient(nodes[i % 3]!.wsUrl, 'spread', await tokenFor(name));
        clients.push(client);
        return writer(client, name, 100 + i);
      }),
    );
    await expect.poll(() => clients.every((c) => c.isOpen), { timeout: 10_000 }).toBe(true);
    // Everyone sees everyone, wherever they are connected.
    await expect
      .poll(() => clients.every((c) => c.users.length === names.length - 1), { timeout: 10_000 })
      .toBe(true);

    await typeFor(writers, 2500);
    // Every client ends with exactly what PostgreSQL holds.
    const content = await converged(writers, () => contentInPostgres(services.db.url, schema, 'spread'));
    expect(expectEveryTokenOnce(content, writers)).toBeGreaterThan(100);
  });
});
