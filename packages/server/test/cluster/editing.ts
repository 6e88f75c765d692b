/**
 * Writers for the cluster tests (and the client's real-server test): CollabClients (the real client library over real WebSockets)
 * that type unique tokens at token boundaries and sometimes delete one of their own, and the
 * checks that every token typed is in the final text exactly once (or not at all if deleted).
 */
import { codePointLength, type Op, TextDocument } from '@jd-collab/ot';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { CollabClient } from '../../../client/src/index.js';
import { createPostgresStore } from '../../src/storage/index.js';

/** Tokens end in an astral emoji, an accent or a CJK character now and then (code points!). */
const TOKEN = /⟨[a-z0-9]+-\d+(?:😀|é|中)?⟩/gu;
const EXTRAS = ['', '😀', 'é', '中'];

export interface Writer {
  name: string;
  client: CollabClient;
  typed: Set<string>;
  deleted: Set<string>;
  step(): void;
}

export function connectClient(url: string, documentId: string, token: string): CollabClient {
  return new CollabClient({
    url,
    documentId,
    getToken: () => token,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    ackTimeoutMs: 2000,
    reconnect: { initialDelayMs: 100, maxDelayMs: 500, maxAttempts: 1000 },
    // PostgreSQL outages answer STORAGE_UNAVAILABLE: keep retrying instead of going offline.
    maxServerErrors: 10_000,
  });
}

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

export function writer(client: CollabClient, name: string, seed: number): Writer {
  const rnd = random(seed);
  const typed = new Set<string>();
  const deleted = new Set<string>();
  let seq = 0;
  return {
    name,
    client,
    typed,
    deleted,
    step() {
      if (!client.isOpen || !client.state.canWrite) return;
      const text = client.text;
      const own = [...typed].filter((t) => !deleted.has(t) && text.includes(t));
      if (own.length > 3 && rnd(6) === 0) {
        const victim = own[rnd(own.length)]!;
        const at = codePointLength(text.slice(0, text.indexOf(victim)));
        const op: Op = at > 0 ? [at, { d: codePointLength(victim) }] : [{ d: codePointLength(victim) }];
        client.applyLocalChange(op);
        deleted.add(victim);
        return;
      }
      const boundaries = [0];
      for (const m of text.matchAll(TOKEN))
        boundaries.push(codePointLength(text.slice(0, m.index + m[0].length)));
      const at = boundaries[rnd(boundaries.length)]!;
      const token = `⟨${name}-${++seq}${EXTRAS[rnd(EXTRAS.length)]}⟩`;
      typed.add(token);
      client.applyLocalChange(at > 0 ? [at, token] : [token]);
      client.setCursor(at + codePointLength(token));
    },
  };
}

export async function typeFor(writers: readonly Writer[], ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (const w of writers) w.step();
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * `offline` (cut off from the server) and `online` type side by side for at least 40 rounds and
 * until `online` is more than `versions` versions past `base`; then `online`'s edits are all acked.
 */
export async function typeApart(
  online: Writer,
  offline: Writer,
  base: number,
  versions: number,
): Promise<void> {
  for (let i = 0; i < 40 || (online.client.state.version <= base + versions && i < 400); i++) {
    online.step();
    offline.step();
    await new Promise((r) => setTimeout(r, 25));
  }
  await online.client.whenSynced();
}

/** Stops typing and waits until every edit is acknowledged and every client shows `expected()`. */
export async function converged(
  writers: readonly Writer[],
  expected: () => Promise<string>,
): Promise<string> {
  await Promise.all(writers.map((w) => w.client.whenSynced()));
  let content = '';
  await expect
    .poll(
      async () => {
        content = await expected();
        return writers.every((w) => w.client.text === content && w.client.state.pendingCount === 0);
      },
      { timeout: 20_000, interval: 100 },
    )
    .toBe(true);
  return content;
}

/** Every token typed is there exactly once, unless its author deleted it; nothing else is. */
export function expectEveryTokenOnce(content: string, writers: readonly Writer[]): number {
  const present = content.match(TOKEN) ?? [];
  expect(present.join('')).toBe(content);
  const counts = new Map<string, number>();
  for (const t of present) counts.set(t, (counts.get(t) ?? 0) + 1);
  let typed = 0;
  for (const w of writers) {
    for (const t of w.typed) {
      typed++;
      expect(counts.get(t) ?? 0, t).toBe(w.deleted.has(t) ? 0 : 1);
    }
  }
  const deleted = writers.reduce((n, w) => n + w.deleted.size, 0);
  expect(present.length).toBe(typed - deleted);
  return typed;
}

/** The document as PostgreSQL holds it: the latest snapshot plus every change after it. */
export async function contentInPostgres(url: string, schema: string, documentId: string): Promise<string> {
  const store = createPostgresStore({ connectionString: url, schema, poolSize: 1 });
  await store.init();
  try {
    const snapshot = await store.getSnapshot(documentId);
    const doc = new TextDocument(snapshot?.content ?? '');
    for (const change of await store.getChanges(documentId, snapshot?.version ?? 0)) doc.apply(change.op);
    return doc.toString();
  } finally {
    await store.close();
  }
}
