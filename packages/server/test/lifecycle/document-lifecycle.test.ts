/**
 * The life of a document at the public interfaces (REST and WebSocket, the real client library),
 * on SQLite (one node) and on PostgreSQL + Redis (two nodes: what happens on one is seen on the
 * other). Issue 20: opening an unknown id never creates it ("phantom documents"); a deleted
 * document stays deleted, its sessions get DOCUMENT_DELETED naming who deleted it, and no pending
 * edit ever reaches it or an id created again ("a deleted document comes back"); the trash keeps
 * it restorable, with its history and versions, until it is purged.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CollabClient } from '../../../client/src/index.js';
import { createTokenService } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { purgeExpiredTrash } from '../../src/documents/purge-trash.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { connectClient } from '../cluster/editing.js';
import { SECRET, startNode } from '../cluster/nodes.js';
import { startTcpProxy, type TcpProxy, useTestServices } from '../cluster/services.js';
import { REDIS_URL } from '../pubsub/redis-test-support.js';

const services = useTestServices();
const tokens = createTokenService(SECRET);
const DAY = 86_400_000;

/** Where requests go: `a` is where people delete and restore, `b` where the writers are. */
interface Nodes {
  a: RunningServer;
  b: RunningServer;
}

const cleanups: Array<() => Promise<void>> = [];
const clients: CollabClient[] = [];
const proxies: TcpProxy[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const p of proxies.splice(0)) await p.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sqliteNodes(): Promise<Nodes> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jd-lifecycle-'));
  const server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET: SECRET,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      WEB_DIR: '/nonexistent/jd-collab-web',
      SHUTDOWN_TIMEOUT_MS: '2000',
    }),
    { seed: false },
  );
  cleanups.push(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { a: server, b: server };
}

async function postgresNodes(): Promise<Nodes> {
  const env = {
    DATABASE_URL: services.db.url,
    DATABASE_SCHEMA: `s_${randomBytes(4).toString('hex')}`,
    REDIS_URL,
    REDIS_KEY_PREFIX: services.prefix,
    // What node b learns of a delete comes through Redis, not from the periodic check.
    CLUSTER_CHECK_INTERVAL_MS: '0',
  };
  const a = await startNode('life-a', env);
  cleanups.push(() => a.server.close());
  const b = await startNode('life-b', env);
  cleanups.push(() => b.server.close());
  return { a: a.server, b: b.server };
}

const sign = (sub: string, name: string, roles: string[] = []) =>
  tokens.sign({ sub, name, permissions: ['document:*:write'], roles }, 3600);

async function api(
  node: RunningServer,
  method: string,
  path: string,
  token: string,
  body?: object,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${node.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const wsUrl = (node: RunningServer) => node.url.replace(/^http/, 'ws');

function open(url: string, documentId: string, token: string): CollabClient {
  const client = connectClient(url, documentId, token);
  clients.push(client);
  return client;
}

async function opened(client: CollabClient): Promise<void> {
  await expect.poll(() => client.isOpen, { timeout: 10_000 }).toBe(true);
}

function type(client: CollabClient, text: string): void {
  client.applyLocalChange([[...client.text].length, text]);
}

/** The upgrade's answer: 'open', or the refusal's HTTP status and code. */
function upgrade(
  url: string,
  documentId: string,
  token: string,
): Promise<'open' | { status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/ws/document/${documentId}`, ['jd-collab.v1', `jd-collab.auth.${token}`]);
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, code: (JSON.parse(body) as { code: string }).code }),
      );
    });
    ws.on('error', reject);
  });
}

const ids = async (node: RunningServer, token: string, path = '/api/documents') =>
  ((await api(node, 'GET', path, token)).body.documents as Array<{ id: string }>).map((d) => d.id);

describe.each([
  ['SQLite, one node', sqliteNodes],
  ['PostgreSQL and Redis, two nodes', postgresNodes],
])('document lifecycle on %s', (_name, start) => {
  it('opening an id that does not exist never creates it, on any node', async () => {
    const { a, b } = await start();
    const writer = await sign('ada', 'Ada Writer');
    const before = await ids(a, writer);
    for (const node of [a, b]) {
      expect(await upgrade(wsUrl(node), 'no-such-role-123', writer)).toEqual({
        status: 404,
        code: 'DOCUMENT_NOT_FOUND',
      });
    }
    // The client library gives up at once: not found is final, nothing is retried into existence.
    const client = open(wsUrl(b), 'no-such-role-123', writer);
    await expect.poll(() => client.state.status, { timeout: 10_000 }).toBe('offline');
    expect(client.state.lastError?.code).toBe('DOCUMENT_NOT_FOUND');
    expect(client.isOpen).toBe(false);
    for (const node of [a, b]) {
      expect((await api(node, 'GET', '/api/documents/no-such-role-123', writer)).status).toBe(404);
      expect(await ids(node, writer)).toEqual(before);
    }
  });

  it('a delete ends the sessions on every node with DOCUMENT_DELETED naming who; retry and reload stay deleted', async () => {
    const { a, b } = await start();
    const writer = await sign('ada', 'Ada Writer');
    const admin = await sign('root', 'Root Admin', ['admin']);
    expect(
      (await api(a, 'POST', '/api/documents', writer, { id: 'jd-doomed', title: 'Doomed' })).status,
    ).toBe(201);
    const client = open(wsUrl(b), 'jd-doomed', writer);
    await opened(client);
    type(client, '\nTyped before the delete.');
    await client.whenSynced();
    const version = client.state.version;

    expect((await api(a, 'DELETE', '/api/documents/jd-doomed', admin)).status).toBe(204);
    await expect.poll(() => client.state.deleted, { timeout: 10_000 }).not.toBeNull();
    expect(client.state.deleted).toMatchObject({
      deletedBy: { userId: 'root', name: 'Root Admin' },
      deletedAt: expect.any(Number),
      pendingCount: 0,
    });
    expect(client.state.lastError?.code).toBe('DOCUMENT_DELETED');
    await expect.poll(() => client.state.status).toBe('offline');
    // "Try again now" does nothing: the state is terminal.
    client.retry();
    await new Promise((r) => setTimeout(r, 300));
    expect(client.state.status).toBe('offline');
    // A reload (a new client) is told the same, on either node, and sees no document.
    for (const node of [a, b]) {
      const reload = open(wsUrl(node), 'jd-doomed', writer);
      await expect.poll(() => reload.state.deleted, { timeout: 10_000 }).not.toBeNull();
      expect(reload.state.deleted?.deletedBy?.name).toBe('Root Admin');
      expect(reload.isOpen).toBe(false);
      expect((await api(node, 'GET', '/api/documents/jd-doomed', writer)).status).toBe(404);
      expect(await ids(node, writer)).not.toContain('jd-doomed');
    }
    // Nothing was written after the delete, and the id cannot be taken while it is in the trash.
    const trashed = await b.store.findDocument('jd-doomed');
    expect(trashed).toMatchObject({ version, deletedBy: 'root', deletedByName: 'Root Admin' });
    expect((await api(a, 'POST', '/api/documents', writer, { id: 'jd-doomed', title: 'Again' })).status).toBe(
      409,
    );
  });

  it('edits typed offline are never applied to the deleted document: the reconnect gets DOCUMENT_DELETED', async () => {
    const { a, b } = await start();
    const writer = await sign('ada', 'Ada Writer');
    const admin = await sign('root', 'Root Admin', ['admin']);
    await api(a, 'POST', '/api/documents', writer, { id: 'jd-offline', title: 'Offline' });
    const proxy = await startTcpProxy(Number(new URL(b.url).port));
    proxies.push(proxy);
    const client = open(`ws://127.0.0.1:${proxy.port}`, 'jd-offline', writer);
    await opened(client);
    type(client, '\nSaved line.');
    await client.whenSynced();
    const saved = (await api(a, 'GET', '/api/documents/jd-offline', writer)).body;

    await proxy.down();
    await expect.poll(() => client.state.status).not.toBe('connected');
    type(client, '\nTyped while offline, after the delete.');
    expect((await api(a, 'DELETE', '/api/documents/jd-offline', admin)).status).toBe(204);
    await proxy.up();
    client.retry();

    await expect.poll(() => client.state.deleted, { timeout: 10_000 }).not.toBeNull();
    expect(client.state.deleted?.deletedBy?.name).toBe('Root Admin');
    expect(client.state.deleted?.pendingCount).toBeGreaterThan(0);
    // The person's copy, with the unsent line, is still there to offer them.
    expect(client.text).toContain('Typed while offline, after the delete.');
    const trashed = await a.store.findDocument('jd-offline');
    expect(trashed?.version).toBe(saved.version);
    // Restored, it is exactly what was saved before the delete.
    expect((await api(a, 'POST', '/api/documents/jd-offline/restore', admin)).status).toBe(200);
    const restored = (await api(b, 'GET', '/api/documents/jd-offline', writer)).body;
    expect(restored.content).toBe(saved.content);
    expect(restored.content).not.toContain('Typed while offline');
  });

  it('pending edits are never applied to an id created again after a purge', async () => {
    const { a, b } = await start();
    const writer = await sign('ada', 'Ada Writer');
    const admin = await sign('root', 'Root Admin', ['admin']);
    await api(a, 'POST', '/api/documents', writer, { id: 'jd-reborn', title: 'First life' });
    const proxy = await startTcpProxy(Number(new URL(b.url).port));
    proxies.push(proxy);
    const client = open(`ws://127.0.0.1:${proxy.port}`, 'jd-reborn', writer);
    await opened(client);
    await proxy.down();
    await expect.poll(() => client.state.status).not.toBe('connected');
    type(client, '\nFor the first life only.');

    expect((await api(a, 'DELETE', '/api/documents/jd-reborn', admin)).status).toBe(204);
    expect((await api(a, 'DELETE', '/api/trash/jd-reborn', admin)).status).toBe(204);
    const reborn = await api(a, 'POST', '/api/documents', writer, { id: 'jd-reborn', title: 'Second life' });
    expect(reborn.status).toBe(201);
    await proxy.up();
    client.retry();

    await expect.poll(() => client.state.deleted, { timeout: 10_000 }).not.toBeNull();
    expect(client.state.deleted?.deletedBy).toBeNull(); // purged: the server no longer knows who
    const now = (await api(b, 'GET', '/api/documents/jd-reborn', writer)).body;
    expect(now).toMatchObject({ title: 'Second life', version: 0, content: reborn.body.content });
    expect(now.incarnation).not.toBe(undefined);
  });

  it('the trash: who may see and restore, history and versions intact, permanent delete, purge', async () => {
    const { a, b } = await start();
    const owner = await sign('ada', 'Ada Owner');
    const other = await sign('ben', 'Ben Other');
    const admin = await sign('root', 'Root Admin', ['admin']);
    await api(a, 'POST', '/api/documents', owner, { id: 'jd-kept', title: 'Kept' });
    const client = open(wsUrl(b), 'jd-kept', owner);
    await opened(client);
    type(client, '\nFirst edit.');
    await client.whenSynced();
    await client.save('Reviewed');
    type(client, '\nSecond edit.');
    await client.whenSynced();
    const before = (await api(a, 'GET', '/api/documents/jd-kept', owner)).body;
    const versions = (await api(a, 'GET', '/api/documents/jd-kept/versions', owner)).body;

    // Only administrators and the creator may delete.
    expect((await api(a, 'DELETE', '/api/documents/jd-kept', other)).status).toBe(403);
    expect((await api(a, 'DELETE', '/api/documents/jd-kept', owner)).status).toBe(204);
    await expect.poll(() => client.state.deleted?.deletedBy?.name, { timeout: 10_000 }).toBe('Ada Owner');

    expect(await ids(b, owner, '/api/trash')).toEqual(['jd-kept']);
    expect(await ids(b, admin, '/api/trash')).toEqual(['jd-kept']);
    expect(await ids(b, other, '/api/trash')).toEqual([]);
    const [entry] = (await api(b, 'GET', '/api/trash', owner)).body.documents as Array<
      Record<string, unknown>
    >;
    expect(entry).toMatchObject({ deletedBy: 'ada', deletedByName: 'Ada Owner', canPurge: false });
    expect((await api(b, 'POST', '/api/documents/jd-kept/restore', other)).status).toBe(403);
    expect((await api(b, 'DELETE', '/api/trash/jd-kept', owner)).status).toBe(403);

    const restored = await api(b, 'POST', '/api/documents/jd-kept/restore', owner);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: 'jd-kept', incarnation: before.incarnation });
    expect((await api(a, 'GET', '/api/documents/jd-kept', owner)).body).toMatchObject({
      content: before.content,
      version: before.version,
    });
    expect((await api(a, 'GET', '/api/documents/jd-kept/versions', owner)).body).toEqual(versions);
    const saved = (versions.versions as Array<{ version: number }>)[0]!;
    const past = await api(a, 'GET', `/api/documents/jd-kept/content?version=${saved.version}`, owner);
    expect(past.body.content).toContain('First edit.');
    expect(past.body.content).not.toContain('Second edit.');
    expect(await api(a, 'POST', '/api/documents/jd-kept/restore', owner)).toMatchObject({ status: 404 });
    // Back in business: it opens again (same incarnation) and takes edits.
    const again = open(wsUrl(b), 'jd-kept', owner);
    await opened(again);
    type(again, '\nAfter the restore.');
    await again.whenSynced();

    // Deleted again: purged by the retention pass once TRASH_RETENTION_DAYS have gone by.
    expect((await api(a, 'DELETE', '/api/documents/jd-kept', admin)).status).toBe(204);
    expect(await purgeExpiredTrash(a.store, 30 * DAY, Date.now() + 29 * DAY)).toEqual([]);
    expect(await purgeExpiredTrash(a.store, 30 * DAY, Date.now() + 31 * DAY)).toEqual(['jd-kept']);
    expect(await ids(b, admin, '/api/trash')).toEqual([]);
    expect((await api(b, 'POST', '/api/documents/jd-kept/restore', admin)).status).toBe(404);
  });
});
