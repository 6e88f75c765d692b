/**
 * SQLite's disk hangs: the WAL fsync that every acknowledged write waits for (SQLITE_SYNCHRONOUS
 * full) does not return, at the file-system call itself (storage/stallable-fsync.ts), while two
 * clients of a real server keep typing. Before the breakers the commit in flight waited for good,
 * and so did the document. Now: refused with STORAGE_UNAVAILABLE within STORAGE_TIMEOUT_MS, the
 * storage_write breaker opens, /readyz is 503; the first commit of the stall was written to the
 * WAL but never acknowledged (outcome unknown), and its client's retry after the release must be
 * recognised by changeId, not stored twice. After the release everything converges, every token
 * exactly once, and the breaker closes again by itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from '@jd-collab/ot';
import { afterEach, describe, expect, it } from 'vitest';
import type { CollabClient } from '../../client/src/index.js';
import { loadConfig } from '../src/config.js';
import { type RunningServer, startServer } from '../src/server.js';
import { createSqliteStore } from '../src/storage/index.js';
import type { DocumentStore } from '../src/storage/types.js';
import { connectClient, converged, expectEveryTokenOnce, typeFor, writer } from './cluster/editing.js';
import { SECRET, tokenFor } from './cluster/nodes.js';
import { type StallableFsync, stallableFsync } from './storage/stallable-fsync.js';
import { ensureDocument } from './support/documents.js';

const TIMEOUT_MS = 800;
const HALF_OPEN_MS = 1500;

let server: RunningServer | undefined;
let disk: StallableFsync | undefined;
let clients: CollabClient[] = [];
let dir: string | undefined;

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  disk?.release(); // the store's close waits for its fsync
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function readyz(url: string): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${url}/readyz`);
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

async function contentIn(store: DocumentStore, documentId: string): Promise<string> {
  const snapshot = await store.getSnapshot(documentId);
  const doc = new TextDocument(snapshot?.content ?? '');
  for (const change of await store.getChanges(documentId, snapshot?.version ?? 0)) doc.apply(change.op);
  return doc.toString();
}

async function start(): Promise<{ url: string; wsUrl: string; store: DocumentStore; disk: StallableFsync }> {
  dir = mkdtempSync(join(tmpdir(), 'jd-fsync-stall-'));
  disk = stallableFsync();
  const store = createSqliteStore({ filename: join(dir, 'jd.db'), synchronous: 'full', fsync: disk.fsync });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    JWT_SECRET: SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WEB_DIR: '/nonexistent/jd-collab-web',
    RATE_LIMIT_PER_SECOND: '1000',
    RATE_LIMIT_PER_MINUTE: '100000',
    STORAGE_TIMEOUT_MS: String(TIMEOUT_MS),
    BREAKER_FAILURE_THRESHOLD: '2',
    BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
  });
  server = await startServer(config, { store, seed: false });
  return { url: server.url, wsUrl: server.url.replace(/^http/, 'ws'), store, disk };
}

describe('SQLite whose fsync stalls', () => {
  it('refuses changes within the timeout, loses and duplicates nothing, and recovers', async () => {
    const { url, wsUrl, store, disk } = await start();
    await ensureDocument(store, 'fsync-stall');
    const writers = await Promise.all(
      ['a', 'b'].map(async (name, i) => {
        const client = connectClient(wsUrl, 'fsync-stall', await tokenFor(name));
        clients.push(client);
        return writer(client, name, 900 + i);
      }),
    );
    const refusals: { code: string; at: number }[] = [];
    for (const c of clients) c.on('error', (error) => refusals.push({ code: error.code, at: Date.now() }));
    await expect.poll(() => clients.every((c) => c.isOpen), { timeout: 10_000 }).toBe(true);
    await typeFor(writers, 600);
    await Promise.all(clients.map((c) => c.whenSynced()));

    disk.stall();
    const stalledAt = Date.now();
    let pendingDuringStall = 0;
    let sawOpen = false;
    let notReady = false;
    while (Date.now() < stalledAt + 3000) {
      await typeFor(writers, 100);
      pendingDuringStall = Math.max(pendingDuringStall, ...clients.map((c) => c.state.pendingCount));
      sawOpen ||= (await breakerState(url, 'storage_write')) === 2;
      notReady ||= (await readyz(url)).code === 'STORAGE_UNAVAILABLE';
    }
    expect(disk.held).toBeGreaterThan(0); // the disk really was stuck
    const storage = refusals.filter((r) => r.code === 'STORAGE_UNAVAILABLE');
    expect(storage.length).toBeGreaterThan(0);
    expect(storage[0]!.at - stalledAt).toBeLessThan(TIMEOUT_MS + 700);
    expect(sawOpen).toBe(true);
    expect(notReady).toBe(true);
    expect(pendingDuringStall).toBeGreaterThan(0);

    disk.release();
    await typeFor(writers, 600);
    const content = await converged(writers, () => contentIn(store, 'fsync-stall'));
    expect(expectEveryTokenOnce(content, writers)).toBeGreaterThan(30);
    await expect.poll(() => breakerState(url, 'storage_write'), { timeout: 5000 }).toBe(0);
    expect(await readyz(url)).toEqual({ status: 200 });
  });

  it('acks a change whose commit timed out but was stored exactly once, when its client retries', async () => {
    const { wsUrl, store, disk } = await start();
    await ensureDocument(store, 'fsync-retry');
    const client = connectClient(wsUrl, 'fsync-retry', await tokenFor('solo'));
    clients.push(client);
    const refused: string[] = [];
    client.on('error', (error) => refused.push(error.code));
    await expect.poll(() => client.isOpen, { timeout: 10_000 }).toBe(true);
    await client.whenSynced();

    disk.stall();
    client.applyLocalChange(['⟨solo-1⟩']);
    // Written to the WAL, waiting for its fsync: the server gives up, the outcome is unknown.
    await expect.poll(() => refused, { timeout: TIMEOUT_MS + 1000 }).toContain('STORAGE_UNAVAILABLE');
    expect(await store.getChanges('fsync-retry', 0)).toHaveLength(1);

    // Nobody else writes, so only the retry itself can bring the room up to the stored change.
    disk.release();
    await client.whenSynced();
    const changes = await store.getChanges('fsync-retry', 0);
    expect(changes.map((c) => c.version)).toEqual([1]);
    expect(await contentIn(store, 'fsync-retry')).toBe('⟨solo-1⟩');
    expect(client.text).toBe('⟨solo-1⟩');
    expect(client.state.version).toBe(1);
    // The room itself holds it too: someone opening the document now sees it, and the next
    // edit builds on it without a conflict.
    const reader = connectClient(wsUrl, 'fsync-retry', await tokenFor('reader'));
    clients.push(reader);
    await expect.poll(() => reader.isOpen, { timeout: 10_000 }).toBe(true);
    expect(reader.text).toBe('⟨solo-1⟩');
    client.applyLocalChange([8, '⟨solo-2⟩']);
    await client.whenSynced();
    await expect.poll(() => reader.text).toBe('⟨solo-1⟩⟨solo-2⟩');
    expect(await contentIn(store, 'fsync-retry')).toBe('⟨solo-1⟩⟨solo-2⟩');
  });
});
