/**
 * Timeouts and circuit breakers (resilient-policy.ts) around the pub/sub and presence adapters,
 * as resilient-store.ts does for storage, so a stalled Redis (connection open, nothing coming
 * back) costs a publish, subscribe or heartbeat at most the timeout. ioredis already rejects
 * commands after a few reconnect attempts when the connection is down; it cannot notice a
 * connection that stays up and silent, which is what the timeout is for.
 *
 * Delivery is best effort by design (a lost message is recovered from the store), so a refused
 * publish costs latency only; presence lists are reads and are retried a little.
 */
import type { PresenceRegistry } from './pubsub/presence-registry.js';
import { PresenceError } from './pubsub/presence-registry.js';
import { type PubSub, PubSubError, type Unsubscribe } from './pubsub/types.js';
import { type Guard, probe } from './resilient-policy.js';

/** The adapters' own errors are the caller's mistakes (closed, malformed); the rest is Redis. */
export function isBrokerFailure(error: unknown): boolean {
  return !(error instanceof PubSubError) && !(error instanceof PresenceError);
}

export function resilientPubSub(pubsub: PubSub, guard: Guard): PubSub {
  return {
    kind: pubsub.kind,
    publish: (channel, message) => guard.write(() => pubsub.publish(channel, message)),
    subscribe: async (channel, handler) => {
      let attempt: Promise<Unsubscribe> | undefined;
      try {
        return await guard.write(() => {
          attempt = pubsub.subscribe(channel, handler);
          return attempt;
        });
      } catch (error) {
        // Given up on, but it may still succeed later: undo it then, or the handler would run
        // for a subscription nobody holds (the caller subscribes again on its next tick).
        void attempt?.then(
          (unsubscribe) => unsubscribe(),
          () => undefined,
        );
        throw error;
      }
    },
    ping: () => probe([guard], () => pubsub.ping()),
    close: () => pubsub.close(),
    on: (event, listener) => pubsub.on(event, listener),
  };
}

export function resilientPresence<T>(presence: PresenceRegistry<T>, guard: Guard): PresenceRegistry<T> {
  return {
    kind: presence.kind,
    heartbeat: (documentId, entry, ttlMs) => guard.write(() => presence.heartbeat(documentId, entry, ttlMs)),
    remove: (documentId, sessionId) => guard.write(() => presence.remove(documentId, sessionId)),
    list: (documentId) => guard.read(() => presence.list(documentId)),
    ping: () => probe([guard], () => presence.ping()),
    close: () => presence.close(),
  };
}
