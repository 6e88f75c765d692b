/**
 * How server nodes tell each other what happened in a document. The database orders changes;
 * pub/sub only delivers them, in order per publisher but not exactly once: a message can be lost
 * (a broker restart, a dropped connection) and, rarely, arrive twice (ioredis resends a publish
 * that was in flight when its connection dropped). So a receiver treats every message as a hint:
 * it delivers changes strictly in version order, drops what it has, and fills any gap from the
 * store (see VersionOrder). 'reconnect' says "you may have missed
 * messages": a node should then fill gaps for every document it serves.
 *
 * Channels are plain names (see documentChannel); adapters add their own prefix.
 */

export type BrokerMessageKind = 'change' | 'presence' | 'cursor' | 'selection' | 'save' | 'meta';

/** One message between nodes (the design's RedisWebSocketBroker payload). JSON-encoded on the wire. */
export interface BrokerMessage {
  /** The node that published it, so that node can ignore its own messages. */
  serverId: string;
  /** A session that must not receive it (the sender, who already has it). */
  excludeSession?: string;
  documentId: string;
  kind: BrokerMessageKind;
  /** Any JSON value; it arrives as a copy (JSON round trip), never as a shared reference. */
  payload: unknown;
}

export type MessageHandler = (message: BrokerMessage, channel: string) => void;

/** Resolves once the handler no longer receives messages. Calling it again is a no-op. */
export type Unsubscribe = () => Promise<void>;

export interface PubSubEvents {
  /**
   * The connection to the broker was lost and is back, with every subscription restored before
   * this fires. Messages published meanwhile may be lost: fill gaps from the store now.
   */
  reconnect: () => void;
  /**
   * Something went wrong outside any call the caller made: a connection error (the adapter keeps
   * reconnecting), a message that could not be decoded, a handler that threw. Never fatal.
   * Without a listener these are dropped, so attach one (a logger) in production.
   */
  error: (error: Error) => void;
}

export interface PubSub {
  /** Adapter name for logs and metrics ('memory', 'redis'). */
  readonly kind: string;
  /**
   * Sends `message` to every subscriber of `channel` on every node, this one included.
   * Rejects (PubSubError INVALID_MESSAGE) when the message is malformed or not JSON-encodable,
   * or with the broker's error when it cannot be reached; a rejected publish was not delivered.
   */
  publish(channel: string, message: BrokerMessage): Promise<void>;
  /**
   * Calls `handler` for each message published to `channel` from when the returned promise
   * resolves, in the order each publisher published them. Several handlers per channel are fine.
   * Handlers run outside the publisher's call stack; an exception is reported as 'error'.
   */
  subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe>;
  /** Throws when the broker is unreachable (for /readyz). */
  ping(): Promise<void>;
  /** Drops every subscription and disconnects. Idempotent; every later call rejects with CLOSED. */
  close(): Promise<void>;
  /** Returns a function that removes the listener. */
  on<E extends keyof PubSubEvents>(event: E, listener: PubSubEvents[E]): () => void;
}

export type PubSubErrorCode = 'CLOSED' | 'INVALID_MESSAGE' | 'INVALID_CHANNEL';

export class PubSubError extends Error {
  readonly code: PubSubErrorCode;
  constructor(code: PubSubErrorCode, message: string) {
    super(message);
    this.name = 'PubSubError';
    this.code = code;
  }
}

/** The channel of one document: everything about it travels there. */
export function documentChannel(documentId: string): string {
  return `doc:${documentId}`;
}
