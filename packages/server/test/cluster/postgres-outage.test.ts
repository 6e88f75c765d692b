/**
 * PostgreSQL vanishes for a while (a TCP proxy between the nodes and the database is taken
 * down, cutting every connection) while clients on two nodes edit. Changes are refused with
 * STORAGE_UNAVAILABLE and kept by the clients, never acknowledged and lost; /readyz reports it;
 * when the database is back, the clients' retries go through and everyone converges on what
 * PostgreSQL holds, with every token typed exactly once.
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
import { startTcpProxy, type TcpProxy, useTestServices } from './services.js';

const services = useTestServices();

let proxy: TcpProxy | undefined;
let nodes: TestNode[] = [];
let clients: CollabClient[] = [];

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await proxy?.up().catch(() => undefined); // let the nodes close their pools cleanly
  await Promise.all(nodes.map((n) => n.server.close()));
  nodes = [];
  await proxy?.close();
  proxy = undefined;
});

async function readyStatus(node: TestNode): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${node.server.url}/readyz`);
  const body = (await res.json()) as { code?: string };
  return { status: res.status, ...(body.code ? { code: body.code } : {}) };
}

describe('PostgreSQL briefly unavailable', () => {
  it('refuses changes while it is gone, loses none, and resumes when it is back', async () => {
    const pgPort = Number(new URL(services.db.url).port || 5432);
    proxy = await startTcpProxy(pgPort);
    const schema = `s_${randomBytes(4).toString('hex')}`;
    const env = {
      DATABASE_URL: services.db.urlWithPort(proxy.port),
      DATABASE_SCHEMA: schema,
      REDIS_URL,
      REDIS_KEY_PREFIX: services.prefix,
    };
    nodes = await Promise.all(['p-1', 'p-2'].map((id) => startNode(id, env)));
    await ensureDocument(nodes[0]!.server.store, 'pg-outage');
    const writers = await Promise.all(
      ['a', 'b', 'c'].map(async (name, i) => {
        const client = connectClient(nodes[i % 2]!.wsUrl, 'pg-outage', await tokenFor(name));
        clients.push(client);
        return writer(client, name, 500 + i);
      }),
    );
    const refusals: string[] = [];
    for (const c of clients) c.on('error', (error) => refusals.push(error.code));
    await expect.poll(() => clients.every((c) => c.isOpen), { timeout: 10_000 }).toBe(true);
    await typeFor(writers, 600);
    await Promise.all(clients.map((c) => c.whenSynced()));

    await proxy.down();
    let pendingDuringOutage = 0;
    const end = Date.now() + 1200;
    while (Date.now() < end) {
      await typeFor(writers, 100);
      pendingDuringOutage = Math.max(pendingDuringOutage, ...clients.map((c) => c.state.pendingCount));
    }
    expect(await readyStatus(nodes[0]!)).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
    expect(refusals).toContain('STORAGE_UNAVAILABLE');
    expect(pendingDuringOutage).toBeGreaterThan(0);

    await proxy.up();
    await expect
      .poll(async () => (await Promise.all(nodes.map(readyStatus))).every((r) => r.status === 200), {
        timeout: 15_000,
      })
      .toBe(true);
    await typeFor(writers, 600);

    const content = await converged(writers, () => contentInPostgres(services.db.url, schema, 'pg-outage'));
    expect(expectEveryTokenOnce(content, writers)).toBeGreaterThan(50);
  });
});
