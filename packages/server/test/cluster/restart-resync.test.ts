/**
 * Issue 25 on the cluster: two nodes on PostgreSQL and Redis. A client on node 1 loses the network
 * and keeps typing on an old base while a client on node 2 types on; node 1 restarts (it now holds
 * in memory only what it loads: the latest snapshot onwards), the other client types more, and the
 * offline one comes back to node 1. Node 1 must answer its sync.request with the changes since its
 * base, read from PostgreSQL: every token typed is then contiguous and present exactly once, in
 * both clients and in PostgreSQL.
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
  typeApart,
  typeFor,
  writer,
} from './editing.js';
import { startNode, type TestNode, tokenFor } from './nodes.js';
import { startTcpProxy, type TcpProxy, useTestServices } from './services.js';

const services = useTestServices();

let nodes: TestNode[] = [];
let clients: CollabClient[] = [];
let proxy: TcpProxy | undefined;

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await proxy?.close();
  proxy = undefined;
  await Promise.all(nodes.map((n) => n.server.close()));
  nodes = [];
});

describe('resync on a restarted node of a cluster', () => {
  it('answers a long-offline client with the changes from PostgreSQL: no run of text is split', async () => {
    const schema = `s_${randomBytes(4).toString('hex')}`;
    const env = {
      DATABASE_URL: services.db.url,
      DATABASE_SCHEMA: schema,
      REDIS_URL,
      REDIS_KEY_PREFIX: services.prefix,
      // Small snapshots and memory, so the restarted node's memory starts after the client's base.
      SNAPSHOT_EVERY: '3',
      HISTORY_LIMIT: '3',
      HISTORY_RETAIN_MS: '0',
      CLUSTER_CHECK_INTERVAL_MS: '1000',
    };
    nodes = [await startNode('node-1', env), await startNode('node-2', env)];
    await ensureDocument(nodes[0]!.server.store, 'cluster-resync');
    const port = () => Number(new URL(nodes[0]!.server.url).port);
    proxy = await startTcpProxy(port);
    const a = writer(connectClient(nodes[1]!.wsUrl, 'cluster-resync', await tokenFor('a')), 'a', 21);
    const b = writer(
      connectClient(`ws://127.0.0.1:${proxy.port}`, 'cluster-resync', await tokenFor('b')),
      'b',
      22,
    );
    clients.push(a.client, b.client);
    const writers = [a, b];
    const stored = () => contentInPostgres(services.db.url, schema, 'cluster-resync');
    await expect.poll(() => a.client.isOpen && b.client.isOpen, { timeout: 10_000 }).toBe(true);
    await typeFor(writers, 400);
    await converged(writers, stored);
    const base = b.client.state.version;

    // b's network goes; it types on its old base while a types on node 2.
    await proxy.down();
    await expect.poll(() => b.client.state.status, { timeout: 10_000 }).not.toBe('connected');
    await typeApart(a, b, base, 6);
    expect(b.client.state.pendingCount).toBeGreaterThan(20);

    // Node 1 restarts (new port: the proxy follows it); a types more.
    await nodes[0]!.server.close();
    nodes[0] = await startNode('node-1', env);
    await typeFor([a], 300);
    await a.client.whenSynced();

    // b reconnects to the restarted node, whose memory starts after b's base.
    await proxy.up();
    const content = await converged(writers, stored);
    expect(expectEveryTokenOnce(content, writers)).toBeGreaterThan(60);
  });
});
