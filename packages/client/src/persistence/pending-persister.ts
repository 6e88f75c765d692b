/**
 * Keeps one client's pending edits in a PendingStore: claims a record to restore when the client
 * starts, then writes the latest snapshot after every change (one write at a time, coalescing what
 * happens meanwhile) and deletes the record once nothing is pending.
 *
 * The rule that makes replays exactly-once: a change is sent only once a write holding it under
 * its changeId has completed (`mayTake`). What can reach the server is therefore always in the
 * store under the id it was sent with, and a later page load resends it under that id.
 */
import type { SyncSnapshot } from '../sync-state.js';
import type { PendingClaim, PendingRecord, PendingStore } from './pending-store.js';

/** What the client has to persist right now, or null when there is nothing to say yet. */
export interface PersistSource {
  readonly snapshot: SyncSnapshot;
  readonly incarnation: string;
  readonly title: string;
  readonly deleted: PendingRecord['deleted'] | null;
}

export interface PersisterHooks {
  /** Reads the client's state (called at write time, so the write holds the latest). */
  source(): PersistSource | null;
  /** A write completed: buffered edits may be sent now. */
  persisted(): void;
  /** The store failed; persistence is off for this client from now on. */
  failed(error: unknown): void;
}

/** How long a new client keeps trying to claim a record another client holds (see start()). */
const CLAIM_WAIT_MS = 1000;
const CLAIM_RETRY_MS = 100;

export class PendingPersister {
  readonly #store: PendingStore;
  readonly #userId: string;
  readonly #documentId: string;
  readonly #hooks: PersisterHooks;
  #recordId: string;
  #claim: PendingClaim | null = null;
  /** The revision of the pending edits in the store (null: nothing written by us yet). */
  #storedRevision: number | null = null;
  #recordExists = false;
  /** The last state written, to skip writes that would change nothing. */
  #lastKey = '';
  #writing = false;
  #dirty = false;
  /** No more writes: closed, deleted, or the store failed. */
  #stopped = false;
  #broken = false;
  #drained: Promise<void> = Promise.resolve();

  constructor(
    store: PendingStore,
    userId: string,
    documentId: string,
    hooks: PersisterHooks,
    newId: () => string,
  ) {
    this.#store = store;
    this.#userId = userId;
    this.#documentId = documentId;
    this.#hooks = hooks;
    this.#recordId = newId();
  }

  /**
   * Claims the oldest record of this person and document that no live client owns and that was
   * not deleted, and returns it for the client to restore (null: start fresh under a new record).
   */
  async start(): Promise<PendingRecord | null> {
    try {
      const deadline = Date.now() + CLAIM_WAIT_MS;
      for (;;) {
        const records = (await this.#store.load(this.#userId, this.#documentId))
          .filter((r) => r.deleted === undefined && r.changes.length > 0)
          .sort((a, b) => a.updatedAt - b.updatedAt);
        for (const record of records) {
          const claim = await this.#store.claim(record.id);
          if (claim === null) continue; // another tab owns it and may be replaying it right now
          if (this.#stopped) {
            claim.release(); // the client closed meanwhile: the record stays for the next one
            return null;
          }
          this.#claim = claim;
          this.#recordId = record.id;
          this.#recordExists = true;
          this.#storedRevision = record.revision;
          return record;
        }
        // A reloaded page's lock is released as its old document goes away, which may be a
        // moment after the new one asks: look again for a short while before starting fresh.
        if (records.length === 0 || Date.now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, CLAIM_RETRY_MS));
      }
      // A fresh id: nobody else can hold its lock. Without a lock manager the record is still ours.
      this.#claim = await this.#store.claim(this.#recordId);
      if (this.#stopped) this.#claim?.release();
    } catch (error) {
      this.#fail(error);
    }
    return null;
  }

  /** Whether the pending edits at `revision` are in the store, so they may be sent. */
  mayTake(revision: number): boolean {
    return this.#broken || this.#storedRevision === revision;
  }

  /** The client's state changed: write it (soon, coalesced). */
  changed(): void {
    if (this.#stopped) return;
    this.#dirty = true;
    if (!this.#writing) this.#drained = this.#drain();
  }

  /** The document was deleted: keep the record (marked, never replayed) and stop. */
  deleted(): Promise<void> {
    this.changed(); // the source now says deleted; the write keeps the text for the person
    this.#stopped = true;
    return this.#finish();
  }

  /** The client closed: write the last state (pending edits stay for the next page load), release. */
  close(): Promise<void> {
    this.changed();
    this.#stopped = true;
    return this.#finish();
  }

  async #finish(): Promise<void> {
    await this.#drained;
    this.#claim?.release();
    this.#claim = null;
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#dirty && !this.#broken) {
        this.#dirty = false;
        await this.#writeOnce();
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#writing = false;
    }
  }

  async #writeOnce(): Promise<void> {
    const source = this.#hooks.source();
    if (source === null) return;
    const { snapshot } = source;
    const key = `${snapshot.revision}/${snapshot.version}/${snapshot.changes.map((c) => c.changeId).join(',')}/${source.deleted !== null}`;
    if (key === this.#lastKey) return;
    if (snapshot.changes.length === 0) {
      if (this.#recordExists) await this.#store.clear(this.#recordId);
      this.#recordExists = false;
    } else {
      await this.#store.save({
        id: this.#recordId,
        userId: this.#userId,
        documentId: this.#documentId,
        incarnation: source.incarnation,
        title: source.title,
        version: snapshot.version,
        confirmedText: snapshot.confirmedText,
        changes: snapshot.changes,
        revision: snapshot.revision,
        updatedAt: Date.now(),
        ...(source.deleted === null ? {} : { deleted: source.deleted }),
      });
      this.#recordExists = true;
    }
    this.#lastKey = key;
    this.#storedRevision = snapshot.revision;
    this.#hooks.persisted();
  }

  #fail(error: unknown): void {
    // Without a working store the client still works, as it did without persistence: sending
    // must not wait for writes that will never complete.
    this.#broken = true;
    this.#hooks.failed(error);
    this.#hooks.persisted();
  }
}
