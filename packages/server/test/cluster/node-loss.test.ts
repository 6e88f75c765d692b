/**
 * The production topology on one machine: three server processes (src/main.ts) behind a real
 * nginx with the generated configuration, sharing PostgreSQL and Redis. One node is killed with
 * SIGKILL while its clients type: they reconnect through nginx to the others, everyone
 * converges on what PostgreSQL holds, no acknowledged change is lost or duplicated, and the dead
 * node's sessions disappear from everyone's presence once their registry entries expire.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CollabClient } from '../../../client/src/index.js';
import { createServerProcess, type ServerProcess } from '../process/server-process.js';
import { REDIS_URL } from '../pubsub/redis-test-support.js';
import { createEmptyDocumentOverHttp } from '../support/documents.js';
import {
  connectClient,
  contentInPostgres,
  converged,
  expectEveryTokenOnce,
  typeFor,
  writer,
} from './editing.js';
import { SECRET, tokenFor } from './nodes.js';
import { type Nginx, startNginx, useTestServices } from './services.js';

const services = useTestServices();

let processes: ServerProcess[] = [];
let nginx: Nginx | undefined;
let clients: CollabClient[] = [];

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await nginx?.stop();
  nginx = undefined;
  await Promise.all(processes.map((p) => p.dispose()));
  processes = [];
});

async function connections(p: ServerProcess): Promise<number> {
  const res = await fetch(`${p.url}/readyz`);
  return ((await res.json()) as { connections?: number }).connections ?? 0;
}

describe('losing a node behind nginx', () => {
  it('moves its clients to the other nodes with nothing lost or duplicated; its users vanish', async () => {
    const schema = `s_${randomBytes(4).toString('hex')}`;
    processes = await Promise.all(
      [1, 2, 3].map((i) =>
        createServerProcess({
          SERVER_ID: `node-${i}`,
          JWT_SECRET: SECRET,
          DATABASE_URL: services.db.url,
          DATABASE_SCHEMA: schema,
          REDIS_URL,
          REDIS_KEY_PREFIX: services.prefix,
          PRESENCE_TTL_MS: '1500',
          CLUSTER_CHECK_INTERVAL_MS: '1000',
          RATE_LIMIT_PER_SECOND: '1000',
          RATE_LIMIT_PER_MINUTE: '100000',
          TRUST_PROXY: '127.0.0.1',
        }),
      ),
    );
    // Together, as a deployment starts them: migrations run under an advisory lock.
    await Promise.all(processes.map((p) => p.start()));
    nginx = await startNginx(processes.map((p) => new URL(p.url).host));
    await createEmptyDocumentOverHttp(processes[0]!.url, await tokenFor('creator'), 'node-loss');

    // Through nginx, every client of a document lands on the same node (hash of the URI).
    const viaNginx = await Promise.all(
      ['a', 'b', 'c'].map(async (name, i) => {
        const client = connectClient(nginx!.wsUrl, 'node-loss', await tokenFor(name));
        clients.push(client);
        return writer(client, name, 700 + i);
      }),
    );
    await expect.poll(() => clients.every((c) => c.isOpen), { timeout: 15_000 }).toBe(true);
    const counts = await Promise.all(processes.map(connections));
    const victim = counts.indexOf(3);
    expect(victim, `connections per node: ${counts}`).toBeGreaterThanOrEqual(0);
    // The others edit the same document directly on the two other nodes.
    const survivors = processes.filter((_, i) => i !== victim);
    const direct = await Promise.all(
      survivors.map(async (p, i) => {
        const name = `d${i}`;
        const client = connectClient(p.wsUrl, 'node-loss', await tokenFor(name));
        clients.push(client);
        return writer(client, name, 800 + i);
      }),
    );
    const writers = [...viaNginx, ...direct];
    await expect.poll(() => clients.every((c) => c.isOpen), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => clients.every((c) => c.users.length === 4), { timeout: 10_000 }).toBe(true);

    await typeFor(writers, 1200);
    const doomed = viaNginx.map((w) => w.client.self?.sessionId);
    expect((await processes[victim]!.kill('SIGKILL')).signal).toBe('SIGKILL');
    await typeFor(writers, 1500);

    // Back, through nginx, on the surviving nodes, as new sessions.
    await expect
      .poll(() => viaNginx.every((w) => w.client.isOpen && !doomed.includes(w.client.self?.sessionId)), {
        timeout: 15_000,
      })
      .toBe(true);
    expect((await Promise.all(survivors.map(connections))).reduce((a, b) => a + b, 0)).toBe(5);
    // The killed node's sessions expire from the registry and leave everyone's list.
    await expect
      .poll(
        () =>
          clients.every((c) => c.users.length === 4 && !c.users.some((u) => doomed.includes(u.sessionId))),
        { timeout: 10_000 },
      )
      .toBe(true);

    await typeFor(writers, 600);
    const content = await converged(writers, () => contentInPostgres(services.db.url, schema, 'node-loss'));
    expect(expectEveryTokenOnce(content, writers)).toBeGreaterThan(80);
  });
});
