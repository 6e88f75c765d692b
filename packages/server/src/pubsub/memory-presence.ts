/**
 * PresenceRegistry in process memory, for one node (the default) or for several simulated nodes
 * in one process: it holds no per-node state, so those simply share one instance. Entries are
 * kept as JSON, like Redis keeps them, so list() hands out copies. The clock is injectable so
 * expiry can be tested without waiting.
 */
import {
  bySessionId,
  checkHeartbeat,
  type LivePresenceEntry,
  type PresenceEntry,
  PresenceError,
  type PresenceRegistry,
} from './presence-registry.js';

interface Stored {
  json: string;
  expiresAt: number;
}

export interface MemoryPresenceOptions {
  /** Default Date.now. */
  now?: () => number;
}

export class MemoryPresenceRegistry<T = unknown> implements PresenceRegistry<T> {
  readonly kind = 'memory';
  readonly #documents = new Map<string, Map<string, Stored>>();
  readonly #now: () => number;
  #closed = false;

  constructor(options: MemoryPresenceOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  async heartbeat(documentId: string, entry: PresenceEntry<T>, ttlMs: number): Promise<void> {
    this.#assertOpen();
    const json = checkHeartbeat(documentId, entry, ttlMs);
    let sessions = this.#documents.get(documentId);
    if (!sessions) {
      sessions = new Map();
      this.#documents.set(documentId, sessions);
    }
    sessions.set(entry.sessionId, { json, expiresAt: this.#now() + ttlMs });
  }

  async remove(documentId: string, sessionId: string): Promise<void> {
    this.#assertOpen();
    const sessions = this.#documents.get(documentId);
    sessions?.delete(sessionId);
    if (sessions?.size === 0) this.#documents.delete(documentId);
  }

  async list(documentId: string): Promise<LivePresenceEntry<T>[]> {
    this.#assertOpen();
    const sessions = this.#documents.get(documentId);
    if (!sessions) return [];
    const now = this.#now();
    const live: LivePresenceEntry<T>[] = [];
    for (const [sessionId, stored] of sessions) {
      if (stored.expiresAt <= now) {
        sessions.delete(sessionId); // forget the dead as we meet them
        continue;
      }
      live.push({ ...(JSON.parse(stored.json) as PresenceEntry<T>), expiresAt: stored.expiresAt });
    }
    if (sessions.size === 0) this.#documents.delete(documentId);
    return live.sort(bySessionId);
  }

  async ping(): Promise<void> {
    this.#assertOpen();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#documents.clear();
  }

  #assertOpen(): void {
    if (this.#closed) throw new PresenceError('CLOSED', 'the memory presence registry is closed');
  }
}

export function createMemoryPresenceRegistry<T = unknown>(
  options: MemoryPresenceOptions = {},
): MemoryPresenceRegistry<T> {
  return new MemoryPresenceRegistry<T>(options);
}
