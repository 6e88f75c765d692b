/**
 * The browser's PendingStore: records in IndexedDB (through `idb`), ownership through the Web
 * Locks API. A lock is held by the client that owns a record for as long as that client lives
 * and is released by the browser when its tab goes away, however it goes (closed, crashed,
 * reloaded), so the next page load of the document can claim the record, and two live tabs never
 * replay the same one.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { PendingClaim, PendingRecord, PendingStore } from './pending-store.js';

const STORE = 'records';
const BY_DOCUMENT = 'byUserAndDocument';

interface PendingSchema extends DBSchema {
  records: { key: string; value: PendingRecord; indexes: { byUserAndDocument: [string, string] } };
}

/** The part of the Web Locks API used here (`navigator.locks`). */
export interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable: boolean },
    callback: (lock: unknown) => Promise<void> | undefined,
  ): Promise<unknown>;
}

export interface IndexedDbPendingStoreOptions {
  /** Database name; default 'jd-collab-pending'. */
  readonly name?: string;
  /**
   * Default `navigator.locks`. Without it no existing record can be claimed (a live tab could
   * own it), so nothing is restored; records are still written.
   */
  readonly locks?: LockManagerLike | null;
}

export class IndexedDbPendingStore implements PendingStore {
  readonly #db: Promise<IDBPDatabase<PendingSchema>>;
  readonly #locks: LockManagerLike | null;

  constructor(options: IndexedDbPendingStoreOptions = {}) {
    this.#db = openDB<PendingSchema>(options.name ?? 'jd-collab-pending', 1, {
      upgrade(db) {
        const store = db.createObjectStore(STORE, { keyPath: 'id' });
        store.createIndex(BY_DOCUMENT, ['userId', 'documentId']);
      },
    });
    const navigatorLocks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
    this.#locks = options.locks === undefined ? (navigatorLocks ?? null) : options.locks;
  }

  async load(userId: string, documentId: string): Promise<PendingRecord[]> {
    return (await this.#db).getAllFromIndex(STORE, BY_DOCUMENT, [userId, documentId]);
  }

  claim(recordId: string): Promise<PendingClaim | null> {
    const locks = this.#locks;
    if (locks === null) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      locks
        .request(`jd-collab.pending:${recordId}`, { ifAvailable: true }, (lock) => {
          if (lock === null) {
            resolve(null);
            return undefined;
          }
          // The lock is held until this promise settles: until the owner releases it, or its tab ends.
          return new Promise<void>((release) => resolve({ release: () => release() }));
        })
        .catch(reject);
    });
  }

  async save(record: PendingRecord): Promise<void> {
    await (await this.#db).put(STORE, record);
  }

  async clear(recordId: string): Promise<void> {
    await (await this.#db).delete(STORE, recordId);
  }
}
