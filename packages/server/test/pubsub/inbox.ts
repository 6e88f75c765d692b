/**
 * A message handler that records what it receives and lets a test wait for a message, so tests
 * wait on events, never on sleeps. Proving that something did NOT arrive uses a fence: publish a
 * marker after it from the same publisher, wait for the marker, then look (per-publisher order
 * means anything sent before the marker would have arrived first).
 */
import type { BrokerMessage, MessageHandler } from '../../src/pubsub/types.js';

interface Waiter {
  predicate: (message: BrokerMessage) => boolean;
  resolve: (message: BrokerMessage) => void;
}

export class Inbox {
  readonly messages: BrokerMessage[] = [];
  readonly channels: string[] = [];
  readonly #waiters = new Set<Waiter>();

  readonly handler: MessageHandler = (message, channel) => {
    this.messages.push(message);
    this.channels.push(channel);
    for (const waiter of [...this.#waiters]) {
      if (waiter.predicate(message)) {
        this.#waiters.delete(waiter);
        waiter.resolve(message);
      }
    }
  };

  /** Resolves with the first message (already received or to come) that matches. */
  waitFor(
    predicate: (message: BrokerMessage) => boolean,
    what = 'a message',
    timeoutMs = 5_000,
  ): Promise<BrokerMessage> {
    const seen = this.messages.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      // A bound, not a sleep: a test that would hang fails with a message instead.
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.messages)}`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** Waits for the message whose payload has `marker` as its `id`. */
  waitForId(id: string): Promise<BrokerMessage> {
    return this.waitFor((m) => (m.payload as { id?: unknown } | null)?.id === id, `message ${id}`);
  }

  ids(): unknown[] {
    return this.messages.map((m) => (m.payload as { id?: unknown } | null)?.id);
  }
}

export function message(id: string, overrides: Partial<BrokerMessage> = {}): BrokerMessage {
  return { serverId: 'node-a', documentId: 'doc-1', kind: 'change', payload: { id }, ...overrides };
}
