/**
 * Where a client keeps the edits the server has not acknowledged yet, so that a reload, a crash
 * or a closed tab does not lose them (see docs/client.md, "Persistence").
 *
 * One record per page load that had something pending: the confirmed text at a version, and the
 * pending changes on top of it, each under the changeId it is (or will be) sent with. A record is
 * written before its changes are sent, so a later page load replays exactly what may have reached
 * the server, under the same ids, which the server de-duplicates per author: exactly once.
 *
 * Only one tab may replay a record: `claim` is a lock held for the lifetime of the client that
 * owns the record (Web Locks in browsers). A record whose owner is gone can be claimed again.
 */
import { apply } from '@jd-collab/ot';
import type { PendingChange } from '../sync-state.js';

export interface PendingRecord {
  /** Unique per page load that wrote it (it names the lock too). */
  readonly id: string;
  /** Who typed it: the changes are replayed only under this user's token. */
  readonly userId: string;
  readonly documentId: string;
  /**
   * The document's incarnation when the edits were made: the client reconnects naming it, so a
   * document deleted and created again under the same id never receives them.
   */
  readonly incarnation: string;
  readonly title: string;
  /** The server version `confirmedText` is at. */
  readonly version: number;
  readonly confirmedText: string;
  /** At most two (the one in flight, then the buffer), applied in order to `confirmedText`. */
  readonly changes: readonly PendingChange[];
  /** SyncState.revision of these changes. */
  readonly revision: number;
  /** ms since the epoch. */
  readonly updatedAt: number;
  /**
   * Set when the server said DOCUMENT_DELETED: kept for the person to copy (the text is
   * `confirmedText` plus `changes`), never replayed.
   */
  readonly deleted?: {
    readonly deletedBy: { readonly userId: string; readonly name: string } | null;
    readonly deletedAt: number | null;
  };
}

/** Ownership of a record; `release` lets the next page load of that document claim it. */
export interface PendingClaim {
  release(): void;
}

export interface PendingStore {
  /** The records of this person for this document (every tab, incarnation and deleted one). */
  load(userId: string, documentId: string): Promise<PendingRecord[]>;
  /** Takes the record's lock, or null at once when another live client holds it. */
  claim(recordId: string): Promise<PendingClaim | null>;
  save(record: PendingRecord): Promise<void>;
  clear(recordId: string): Promise<void>;
}

/** The client option: where to keep pending edits, and whose they are. */
export interface PersistenceOptions {
  readonly store: PendingStore;
  /** The signed-in user (the token's subject): records are per user and document. */
  readonly userId: string;
}

/** The text a record holds: what the person saw (confirmed text plus their pending edits). */
export function recordText(record: PendingRecord): string {
  return record.changes.reduce((text, change) => apply(text, change.op), record.confirmedText);
}
