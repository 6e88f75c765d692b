/**
 * Connections that never complete a request, and floods from one address: the whole server on a
 * real port, driven with raw TCP sockets and real WebSockets from 127.0.0.1.
 * - a connection that has not sent a complete request head (or whose upgrade has not been
 *   answered) within UPGRADE_TIMEOUT_MS is closed;
 * - at most MAX_CONNECTIONS_PER_IP TCP connections per remote address (trusted proxies exempt);
 * - at most MAX_UPGRADES_PER_IP WebSockets per client address (X-Forwarded-For behind a
 *   trusted proxy), refused with 429 TOO_MANY_CONNECTIONS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTokenService } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { type RunningServer, startServer } from '../src/server.js';
import { ensureDocument } from './support/documents.js';

const SECRET = 'connections-test-secret-0123456789abcdef';
let dataDir: string;
let server: RunningServer | undefined;
const sockets: Socket[] = [];
const webSockets: WebSocket[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'jd-connections-'));
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const ws of webSockets.splice(0)) ws.terminate();
  await server?.close();
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<RunningServer> {
  server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      WEB_DIR: '/nonexistent/jd-collab-web',
      SHUTDOWN_TIMEOUT_MS: '2000',
      ...env,
    }),
    { seed: false },
  );
  await ensureDocument(server.store, 'doc-1');
  return server;
}

interface RawSocket {
  socket: Socket;
  closed: Promise<number>;
  isClosed(): boolean;
  received(): string;
}

/** A raw TCP connection that sends `data` (maybe nothing) and records when the server closes it. */
async function rawSocket(url: string, data = ''): Promise<RawSocket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  let closedAt = 0;
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  socket.on('error', () => undefined);
  const started = performance.now();
  const closed = new Promise<number>((resolve) =>
    socket.on('close', () => {
      closedAt = performance.now();
      resolve(closedAt - started);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  if (data !== '') socket.write(data);
  return { socket, closed, isClosed: () => closedAt !== 0, received: () => text };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const tokens = createTokenService(SECRET);
const token = (user: string) =>
  tokens.sign({ sub: user, name: user, permissions: ['document:*:write'], roles: [] }, 3600);

/** Opens a WebSocket on doc-1; resolves 'open' or the HTTP status and body of the refusal. */
async function openSocket(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; outcome: 'open' | { status: number; body: string } }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/document/doc-1`, ['jd-collab.v1'], {
    headers: { authorization: `Bearer ${await token('u-1')}`, ...headers },
  });
  webSockets.push(ws);
  const outcome = await new Promise<'open' | { status: number; body: string }>((resolve, reject) => {
    ws.on('open', () => resolve('open'));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', reject);
  });
  return { ws, outcome };
}

const closedWs = (ws: WebSocket) =>
  new Promise<void>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) resolve();
    else ws.once('close', () => resolve());
  });

describe('connections that do not complete a request', () => {
  it('closes 100 silent sockets and half-sent requests within UPGRADE_TIMEOUT_MS, and nothing else', async () => {
    const { url } = await start({ UPGRADE_TIMEOUT_MS: '400', MAX_CONNECTIONS_PER_IP: '1000' });
    const silent = await Promise.all(Array.from({ length: 100 }, () => rawSocket(url)));
    const halfUpgrades = await Promise.all(
      Array.from({ length: 5 }, () =>
        rawSocket(url, 'GET /ws/document/doc-1 HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n'),
      ),
    );
    const halfRequests = await Promise.all(
      Array.from({ length: 5 }, () => rawSocket(url, 'GET /api/documents HTTP/1.1\r\nHost: loc')),
    );
    // A WebSocket that completed its upgrade, and a kept-alive HTTP connection, are not touched.
    const { ws, outcome } = await openSocket(url);
    expect(outcome).toBe('open');
    const keptAlive = await rawSocket(url, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');

    const all = [...silent, ...halfUpgrades, ...halfRequests];
    const times = await Promise.race([Promise.all(all.map((s) => s.closed)), sleep(3_000).then(() => null)]);
    expect(
      times,
      `${all.filter((s) => !s.isClosed()).length} of ${all.length} still open after 3 s`,
    ).not.toBe(null);
    for (const ms of times ?? []) expect(ms).toBeGreaterThanOrEqual(300);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(keptAlive.isClosed()).toBe(false);
    expect(keptAlive.received()).toMatch(/^HTTP\/1\.1 200 OK/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});

describe('per-address caps', () => {
  it('closes TCP connections past MAX_CONNECTIONS_PER_IP at once, and takes new ones when some close', async () => {
    const { url } = await start({ MAX_CONNECTIONS_PER_IP: '5', UPGRADE_TIMEOUT_MS: '30000' });
    const first = await Promise.all(Array.from({ length: 5 }, () => rawSocket(url)));
    await sleep(100);
    const sixth = await rawSocket(url);
    const ms = await Promise.race([sixth.closed, sleep(2_000).then(() => null)]);
    expect(ms, 'the sixth connection is still open').not.toBe(null);
    expect(first.every((s) => !s.isClosed())).toBe(true);

    first[0]!.socket.destroy();
    await first[0]!.closed;
    await expect.poll(async () => (await fetch(`${url}/healthz`)).status, { timeout: 5_000 }).toBe(200);
  });

  it('does not count the connections of a trusted proxy against it', async () => {
    const { url } = await start({
      MAX_CONNECTIONS_PER_IP: '2',
      UPGRADE_TIMEOUT_MS: '30000',
      TRUST_PROXY: '127.0.0.1',
    });
    const through = await Promise.all(Array.from({ length: 6 }, () => rawSocket(url)));
    await sleep(300);
    expect(through.every((s) => !s.isClosed())).toBe(true);
  });

  it('refuses WebSockets past MAX_UPGRADES_PER_IP with 429 TOO_MANY_CONNECTIONS until one closes', async () => {
    const { url } = await start({ MAX_UPGRADES_PER_IP: '2' });
    const a = await openSocket(url);
    const b = await openSocket(url);
    expect([a.outcome, b.outcome]).toEqual(['open', 'open']);
    const refused = await openSocket(url);
    expect(refused.outcome).toMatchObject({ status: 429 });
    const body = JSON.parse((refused.outcome as { body: string }).body);
    expect(body).toMatchObject({ code: 'TOO_MANY_CONNECTIONS', message: expect.any(String) });
    // X-Forwarded-For from an untrusted peer changes nothing.
    expect((await openSocket(url, { 'x-forwarded-for': '203.0.113.9' })).outcome).toMatchObject({
      status: 429,
    });

    a.ws.close();
    await closedWs(a.ws);
    await expect.poll(async () => (await openSocket(url)).outcome, { timeout: 5_000 }).toBe('open');
  });

  it('counts WebSockets by X-Forwarded-For behind a trusted proxy', async () => {
    const { url } = await start({ MAX_UPGRADES_PER_IP: '1', TRUST_PROXY: '127.0.0.1' });
    const alice = { 'x-forwarded-for': '203.0.113.1' };
    const bob = { 'x-forwarded-for': '203.0.113.2' };
    expect((await openSocket(url, alice)).outcome).toBe('open');
    expect((await openSocket(url, alice)).outcome).toMatchObject({ status: 429 });
    expect((await openSocket(url, bob)).outcome).toBe('open');
  });
});
