/**
 * The client against the real server process over real WebSockets: several clients edit one
 * document concurrently while the server is killed with SIGKILL and restarted, then stopped
 * gracefully and restarted again. Everyone must converge on the server's text, and every token a
 * client typed must be there exactly once (or, if its author deleted it, not at all).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectClient,
  converged,
  expectEveryTokenOnce,
  typeFor,
  type Writer,
  writer,
} from '../../server/test/cluster/editing.js';
import {
  createServerProcess,
  devLogin,
  documentContent,
  type ServerProcess,
} from '../../server/test/process/server-process.js';
import { createEmptyDocumentOverHttp } from '../../server/test/support/documents.js';

let server: ServerProcess | undefined;
const writers: Writer[] = [];
afterEach(async () => {
  for (const w of writers.splice(0)) w.client.close();
  await server?.dispose();
  server = undefined;
});

describe('CollabClient against the real server', () => {
  it('converges with nothing lost or duplicated across SIGKILL and graceful restarts', async () => {
    server = await createServerProcess();
    await server.start();
    const { url, wsUrl } = server;
    const names = ['a', 'b', 'c'];
    const tokens = await Promise.all(names.map((n) => devLogin(url, `Writer ${n}`)));
    await createEmptyDocumentOverHttp(url, tokens[0]!, 'client-durability');
    names.forEach((name, i) => {
      writers.push(writer(connectClient(wsUrl, 'client-durability', tokens[i]!), name, 1000 + i));
    });
    await expect.poll(() => writers.every((w) => w.client.isOpen), { timeout: 10_000 }).toBe(true);

    await typeFor(writers, 1500);
    expect((await server.kill('SIGKILL')).signal).toBe('SIGKILL');
    await typeFor(writers, 800); // offline: edits are kept
    await server.start();
    await typeFor(writers, 1500);
    expect((await server.kill('SIGTERM')).code).toBe(0);
    await server.start();
    await typeFor(writers, 1000);

    // Stop typing; wait until every edit is acknowledged and everyone has everyone's edits.
    const content = await converged(writers, () => documentContent(url, tokens[0]!, 'client-durability'));
    expect(writers.every((w) => w.client.state.status === 'connected')).toBe(true);
    expect(expectEveryTokenOnce(content, writers)).toBeGreaterThan(100);
  });
});
