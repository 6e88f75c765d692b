/**
 * Issue 25, on one node: a client goes offline with many pending edits on an old base, the server
 * restarts (so it holds in memory only what it loaded: the latest snapshot onwards), another
 * client types, and the first one comes back. It must be answered with the changes since its base
 * (read from storage), so that every token anyone typed ends up contiguous and present exactly once,
 * in every client and in storage. Before the fix the server answered with a snapshot and the client
 * rebased over a one-hunk diff, placing its offline text inside the other client's tokens.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectClient,
  converged,
  expectEveryTokenOnce,
  typeApart,
  typeFor,
  type Writer,
  writer,
} from '../../server/test/cluster/editing.js';
import { startTcpProxy, type TcpProxy } from '../../server/test/cluster/services.js';
import {
  createServerProcess,
  devLogin,
  documentContent,
  type ServerProcess,
} from '../../server/test/process/server-process.js';
import { createEmptyDocumentOverHttp } from '../../server/test/support/documents.js';

let server: ServerProcess | undefined;
let proxy: TcpProxy | undefined;
const writers: Writer[] = [];
afterEach(async () => {
  for (const w of writers.splice(0)) w.client.close();
  await proxy?.close();
  proxy = undefined;
  await server?.dispose();
  server = undefined;
});

async function metric(url: string, line: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const found = text.split('\n').find((l) => line.test(l));
  return found === undefined ? 0 : Number(found.split(' ').at(-1));
}

describe('resync after a server restart', () => {
  it('replays the stored changes to a long-offline client: every typed run stays contiguous', async () => {
    // Small snapshots and history, so the restarted node's memory starts well after the offline
    // client's base (production: SNAPSHOT_EVERY 100, HISTORY_LIMIT 1000, same situation at scale).
    server = await createServerProcess({ SNAPSHOT_EVERY: '3', HISTORY_LIMIT: '3', HISTORY_RETAIN_MS: '0' });
    await server.start();
    const { url, wsUrl } = server;
    proxy = await startTcpProxy(Number(new URL(url).port));
    const [ta, tb] = await Promise.all([devLogin(url, 'Writer a'), devLogin(url, 'Writer b')]);
    await createEmptyDocumentOverHttp(url, ta, 'restart-resync');
    const a = writer(connectClient(wsUrl, 'restart-resync', ta), 'a', 11);
    const b = writer(connectClient(`ws://127.0.0.1:${proxy.port}`, 'restart-resync', tb), 'b', 12);
    writers.push(a, b);
    await expect.poll(() => a.client.isOpen && b.client.isOpen, { timeout: 10_000 }).toBe(true);
    await typeFor(writers, 400);
    await converged(writers, () => documentContent(url, ta, 'restart-resync'));
    const base = b.client.state.version;

    // b loses the network and keeps typing; a types on, past several snapshots.
    await proxy.down();
    await expect.poll(() => b.client.state.status, { timeout: 10_000 }).not.toBe('connected');
    await typeApart(a, b, base, 6);
    expect(b.client.state.pendingCount).toBeGreaterThan(20);
    expect(a.client.state.version).toBeGreaterThan(base + 6); // past two snapshots

    // The server restarts; a comes back first and types more.
    await server.kill('SIGKILL');
    await server.start();
    await expect.poll(() => a.client.state.status, { timeout: 10_000 }).toBe('connected');
    await typeFor([a], 300);
    await a.client.whenSynced();

    // b comes back with its offline text on a base the restarted server does not hold in memory.
    const fromStorage = await metric(url, /^collab_resyncs_total\{answer="changes",reason="storage"\}/);
    await proxy.up();
    const content = await converged(writers, () => documentContent(url, ta, 'restart-resync'));
    expect(expectEveryTokenOnce(content, writers)).toBeGreaterThan(60);
    expect(await metric(url, /^collab_resyncs_total\{answer="changes",reason="storage"\}/)).toBeGreaterThan(
      fromStorage,
    );
    expect(await metric(url, /^collab_resyncs_total\{answer="snapshot"/)).toBe(0);
  });
});
