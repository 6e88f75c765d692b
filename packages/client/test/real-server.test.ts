/**
 * The client against the real server process over real WebSockets: several clients edit one
 * document concurrently while the server is killed with SIGKILL and restarted, then stopped
 * gracefully and restarted again. Everyone must converge on the server's text, and every token a
 * client typed must be there exactly once (or, if its author deleted it, not at all).
 */
import { codePointLength, type Op } from '@jd-collab/ot';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createServerProcess,
  devLogin,
  documentContent,
  type ServerProcess,
} from '../../server/test/process/server-process.js';
import { CollabClient } from '../src/index.js';

let server: ServerProcess | undefined;
const clients: CollabClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.dispose();
  server = undefined;
});

const TOKEN = /⟨[a-z]-\d+(?:😀|é|中)?⟩/gu;

/** A seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** An editor that types whole tokens at token boundaries and sometimes deletes one of its own. */
function editor(client: CollabClient, name: string, seed: number) {
  const rnd = random(seed);
  const typed = new Set<string>();
  const deleted = new Set<string>();
  let seq = 0;
  const extras = ['', '😀', 'é', '中'];
  return {
    typed,
    deleted,
    step() {
      if (!client.isOpen || !client.state.canWrite) return;
      const text = client.text;
      const own = [...typed].filter((t) => !deleted.has(t) && text.includes(t));
      if (own.length > 3 && rnd(5) === 0) {
        const victim = own[rnd(own.length)]!;
        const at = codePointLength(text.slice(0, text.indexOf(victim)));
        const op: Op = at > 0 ? [at, { d: codePointLength(victim) }] : [{ d: codePointLength(victim) }];
        client.applyLocalChange(op);
        deleted.add(victim);
        return;
      }
      // Boundaries: the start, and right after any token.
      const boundaries = [0];
      for (const m of text.matchAll(TOKEN))
        boundaries.push(codePointLength(text.slice(0, m.index + m[0].length)));
      const at = boundaries[rnd(boundaries.length)]!;
      const token = `⟨${name}-${++seq}${extras[rnd(extras.length)]}⟩`;
      typed.add(token);
      client.applyLocalChange(at > 0 ? [at, token] : [token]);
      client.setCursor(at + codePointLength(token));
    },
  };
}

async function typeFor(editors: Array<{ step(): void }>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (const e of editors) e.step();
    await new Promise((r) => setTimeout(r, 15));
  }
}

describe('CollabClient against the real server', () => {
  it('converges with nothing lost or duplicated across SIGKILL and graceful restarts', async () => {
    server = await createServerProcess();
    await server.start();
    const url = server.url;
    const names = ['a', 'b', 'c'];
    const tokens = await Promise.all(names.map((n) => devLogin(url, `Writer ${n}`)));
    names.forEach((_, i) => {
      clients.push(
        new CollabClient({
          url: server!.wsUrl,
          documentId: 'client-durability',
          getToken: () => tokens[i]!,
          WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
          ackTimeoutMs: 2000,
          reconnect: { initialDelayMs: 100, maxDelayMs: 1000, maxAttempts: 100 },
        }),
      );
    });
    const editors = clients.map((c, i) => editor(c, names[i]!, 1000 + i));
    await expect.poll(() => clients.every((c) => c.isOpen), { timeout: 10_000 }).toBe(true);

    await typeFor(editors, 1500);
    expect((await server.kill('SIGKILL')).signal).toBe('SIGKILL');
    await typeFor(editors, 800); // offline: edits are kept
    await server.start();
    await typeFor(editors, 1500);
    expect((await server.kill('SIGTERM')).code).toBe(0);
    await server.start();
    await typeFor(editors, 1000);

    // Stop typing; wait until every edit is acknowledged and everyone has everyone's edits.
    await Promise.all(clients.map((c) => c.whenSynced()));
    const token = tokens[0]!;
    await expect
      .poll(
        async () => {
          const content = await documentContent(url, token, 'client-durability');
          return clients.every((c) => c.text === content && c.state.status === 'connected');
        },
        { timeout: 20_000, interval: 100 },
      )
      .toBe(true);

    const content = await documentContent(url, token, 'client-durability');
    const present = content.match(TOKEN) ?? [];
    expect(present.join('')).toBe(content); // nothing but whole tokens: no garbling
    const counts = new Map<string, number>();
    for (const t of present) counts.set(t, (counts.get(t) ?? 0) + 1);
    let typedCount = 0;
    for (const e of editors) {
      for (const t of e.typed) {
        typedCount++;
        expect(counts.get(t) ?? 0, `${t}`).toBe(e.deleted.has(t) ? 0 : 1);
      }
    }
    expect(present.length).toBe(typedCount - editors.reduce((n, e) => n + e.deleted.size, 0));
    expect(typedCount).toBeGreaterThan(100);
  });
});
