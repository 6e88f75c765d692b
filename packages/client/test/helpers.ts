/** Shared test helpers: clients wired to a FakeServer, and waiting on events (never on sleeps). */
import { WebSocket } from 'ws';
import type { CollabClientOptions } from '../src/client-types.js';
import { CollabClient } from '../src/collab-client.js';
import type { WebSocketConstructor } from '../src/socket.js';
import type { FakeServer } from './fake-server.js';

const clients = new Set<CollabClient>();

/** A client with test-friendly timings (short delays, no jitter) unless overridden. */
export function makeClient(
  server: FakeServer,
  token: string,
  overrides: Partial<CollabClientOptions> = {},
): CollabClient {
  const client = new CollabClient({
    url: server.url,
    documentId: server.documentId,
    getToken: () => token,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    reconnect: { initialDelayMs: 5, maxDelayMs: 40, maxAttempts: 10, jitter: false },
    batch: { maxDelayMs: 2, minIntervalMs: 2 },
    cursorThrottleMs: 2,
    ...overrides,
  });
  clients.add(client);
  return client;
}

export function closeAllClients(): void {
  for (const client of clients) client.close();
  clients.clear();
}

/**
 * Resolves once `check()` holds, re-checking after every event of the given clients (and on a
 * short poll for conditions that only the server changes). Rejects with `label` after `timeoutMs`.
 */
export function waitUntil(
  check: () => boolean,
  watched: readonly CollabClient[],
  label: string,
  timeoutMs = 5000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const offs: Array<() => void> = [];
    const finish = (error?: Error): void => {
      for (const off of offs) off();
      clearTimeout(timer);
      clearInterval(poll);
      if (error) reject(error);
      else resolve();
    };
    const test = (): void => {
      try {
        if (check()) finish();
      } catch (error) {
        finish(error as Error);
      }
    };
    const timer = setTimeout(() => finish(new Error(`timed out waiting for: ${label}`)), timeoutMs);
    // The poll only re-evaluates the condition; correctness never depends on its timing.
    const poll = setInterval(test, 20);
    for (const client of watched) {
      for (const event of ['state', 'change', 'presence', 'error', 'saved', 'cursor'] as const) {
        offs.push(client.on(event, test));
      }
    }
    test();
  });
}

export function connected(client: CollabClient): boolean {
  return client.state.status === 'connected';
}

export function synced(client: CollabClient, server: FakeServer): boolean {
  return connected(client) && client.state.pendingCount === 0 && client.text === server.text;
}

/** Inserts `text` at code point `position` as a local edit. */
export function typeAt(client: CollabClient, position: number, text: string): void {
  client.applyLocalChange(position > 0 ? [position, text] : [text]);
}
