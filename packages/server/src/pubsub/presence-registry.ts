/**
 * Cluster-wide presence: who is in a document, on whichever node. Entries expire: each node
 * heartbeats the sessions it serves (more often than the TTL), so the people on a node that died
 * disappear from every list once their TTL runs out, without anyone cleaning up after it.
 *
 * The registry only answers "who is there"; telling the other nodes that someone joined, moved
 * or left is pub/sub's job ('presence' messages). A node that receives nothing (a Redis outage)
 * can always rebuild its view from list().
 */

export interface PresenceEntry<T = unknown> {
  sessionId: string;
  /** The node serving the session. */
  serverId: string;
  /** What the others should see (user id, name, colour, status...): any JSON value. */
  data: T;
}

export interface LivePresenceEntry<T = unknown> extends PresenceEntry<T> {
  /** When the entry expires unless heartbeated again (ms since epoch, the registry's clock). */
  expiresAt: number;
}

export interface PresenceRegistry<T = unknown> {
  readonly kind: string;
  /** Adds or refreshes the entry of entry.sessionId in the document, alive for ttlMs from now. */
  heartbeat(documentId: string, entry: PresenceEntry<T>, ttlMs: number): Promise<void>;
  /** Removes the session from the document (it left). No-op when absent. */
  remove(documentId: string, sessionId: string): Promise<void>;
  /** The document's live entries, ordered by sessionId. Expired entries are never listed. */
  list(documentId: string): Promise<LivePresenceEntry<T>[]>;
  /** Throws when the backend is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type PresenceErrorCode = 'CLOSED' | 'INVALID_ARGUMENT';

export class PresenceError extends Error {
  readonly code: PresenceErrorCode;
  constructor(code: PresenceErrorCode, message: string) {
    super(message);
    this.name = 'PresenceError';
    this.code = code;
  }
}

/** The argument checks both adapters share. Returns the entry's JSON form. */
export function checkHeartbeat(documentId: unknown, entry: PresenceEntry<unknown>, ttlMs: unknown): string {
  if (typeof documentId !== 'string' || documentId === '') {
    throw new PresenceError('INVALID_ARGUMENT', 'documentId must be a non-empty string');
  }
  if (typeof entry?.sessionId !== 'string' || entry.sessionId === '') {
    throw new PresenceError('INVALID_ARGUMENT', 'entry.sessionId must be a non-empty string');
  }
  if (typeof entry.serverId !== 'string' || entry.serverId === '') {
    throw new PresenceError('INVALID_ARGUMENT', 'entry.serverId must be a non-empty string');
  }
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new PresenceError('INVALID_ARGUMENT', `ttlMs must be a positive integer, got ${String(ttlMs)}`);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify({ sessionId: entry.sessionId, serverId: entry.serverId, data: entry.data });
  } catch (error) {
    throw new PresenceError('INVALID_ARGUMENT', `entry.data is not JSON-encodable (${String(error)})`);
  }
  return json;
}

export function bySessionId(a: { sessionId: string }, b: { sessionId: string }): number {
  return a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0;
}
