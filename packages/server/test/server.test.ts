/**
 * The whole server on a real port: SQLite in a temp DATA_DIR, the HTTP app, the collaboration
 * core and graceful shutdown, driven with fetch and a real WebSocket client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../src/config.js';
import { type RunningServer, startServer } from '../src/server.js';

let dataDir: string;
let server: RunningServer | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'jd-server-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

function config(extra: Record<string, string> = {}) {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    WEB_DIR: '/nonexistent/jd-collab-web',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...extra,
  });
}

async function login(url: string, name: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function listDocuments(url: string, token: string) {
  const res = await fetch(`${url}/api/documents`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { documents: Array<{ id: string; users: Array<{ userId: string }> }> })
    .documents;
}

interface Envelope {
  type: string;
  payload: Record<string, unknown>;
}

/** Opens a socket and collects every envelope it receives. */
function connect(url: string, path: string, token: string) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${path}`, [
    'jd-collab.v1',
    `jd-collab.auth.${token}`,
  ]);
  const received: Envelope[] = [];
  const waiters: Array<{ type: string; resolve: (e: Envelope) => void }> = [];
  ws.on('message', (data) => {
    const parsed = JSON.parse(String(data)) as Envelope | Envelope[];
    for (const envelope of Array.isArray(parsed) ? parsed : [parsed]) {
      received.push(envelope);
      for (const w of waiters.filter((w) => w.type === envelope.type)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(envelope);
      }
    }
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const next = (type: string) =>
    new Promise<Envelope>((resolve) => {
      const seen = received.find((e) => e.type === type);
      if (seen) resolve(seen);
      else waiters.push({ type, resolve });
    });
  return { ws, received, closed, next };
}

/** The HTTP status of a refused upgrade. */
function refusedUpgrade(url: string, path: string, protocols: string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${path}`, protocols);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
}

describe('startServer', () => {
  it('serves health, seeded documents and the dev login on a real port', async () => {
    server = await startServer(config());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      storage: 'sqlite',
      connections: 0,
      documents: 0,
    });

    const token = await login(server.url, 'Alice');
    expect((await listDocuments(server.url, token)).length).toBeGreaterThan(0);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('storage_operation_duration_seconds_count{operation="listDocuments"}');
  });

  it('refuses upgrades on other paths with 404 and bad tokens with 401', async () => {
    server = await startServer(config());
    expect(await refusedUpgrade(server.url, '/ws/elsewhere')).toBe(404);
    expect(await refusedUpgrade(server.url, '/api/documents')).toBe(404);
    expect(
      await refusedUpgrade(server.url, '/ws/document/doc-1', ['jd-collab.v1', 'jd-collab.auth.not-a-jwt']),
    ).toBe(401);
  });

  it('hands document sockets to the collaboration core and shows who is present', async () => {
    server = await startServer(config());
    const token = await login(server.url, 'Alice');
    const [first] = await listDocuments(server.url, token);
    const client = connect(server.url, `/ws/document/${first!.id}`, token);
    const open = await client.next('document.open');
    expect(open.payload).toMatchObject({ documentId: first!.id, canWrite: true });

    const listed = await listDocuments(server.url, token);
    expect(listed.find((d) => d.id === first!.id)?.users).toEqual([
      expect.objectContaining({ userId: 'u-alice', name: 'Alice' }),
    ]);
    client.ws.close(1000);
    expect(await client.closed).toBe(1000);
  });

  it('shuts down gracefully: readyz 503, system.reconnect, close 1012, port released', async () => {
    server = await startServer(config());
    const { url } = server;
    const token = await login(url, 'Alice');
    const [first] = await listDocuments(url, token);
    const client = connect(url, `/ws/document/${first!.id}`, token);
    await client.next('document.open');

    const closing = server.close();
    expect(server.close()).toBe(closing);
    const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ code: 'SERVER_SHUTTING_DOWN' });

    const reconnect = await client.next('system.reconnect');
    expect(reconnect.payload).toMatchObject({ reason: expect.any(String) });
    expect(await client.closed).toBe(1012);
    await closing;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    server = undefined;
  });

  it('keeps documents and the development secret across restarts', async () => {
    server = await startServer(config());
    const token = await login(server.url, 'Alice');
    const created = await fetch(`${server.url}/api/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title: 'Staff Engineer', id: 'staff-engineer' }),
    });
    expect(created.status).toBe(201);
    const count = (await listDocuments(server.url, token)).length;
    await server.close();

    server = await startServer(config());
    // same secret: the old token still works; same database: nothing lost, nothing seeded twice
    const documents = await listDocuments(server.url, token);
    expect(documents).toHaveLength(count);
    expect(documents.map((d) => d.id)).toContain('staff-engineer');
  });

  it('refuses to start twice on the same port and releases what it opened', async () => {
    server = await startServer(config());
    const port = new URL(server.url).port;
    await expect(startServer(config({ PORT: port }))).rejects.toThrow(/EADDRINUSE/);
  });
});
