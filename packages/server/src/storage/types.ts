/**
 * The storage contract every backend implements (SQLite now, PostgreSQL next).
 *
 * Versions: a document starts at version `baseVersion` of its first snapshot (0 for a new
 * document). The change that takes a document from version v-1 to v is stored with
 * `version = v`. (documentId, version) is unique: that key is what serialises writers.
 * (documentId, userId, changeId) is unique too: it is how a retried change is recognised, even
 * after a restart. It is scoped by author (as ShareDB scopes seq by src): changeIds travel in
 * broadcasts, so a per-document key let a co-editor commit another user's next changeId first
 * and have that user's change acknowledged as a "retry" and lost.
 *
 * Errors: methods reject with a StoreError (store-errors.ts) when the caller breaks the contract
 * (INVALID_ARGUMENT, DOCUMENT_NOT_FOUND, ALREADY_EXISTS, CLOSED); any other rejection means the
 * backend is unavailable and nothing was written. Every returned object is a fresh copy.
 */
import type { Op } from '@jd-collab/ot';
import type { DocumentStatus, NamedVersion, Posting, PostingPatch } from '@jd-collab/protocol';

/**
 * The statuses, and a version saved under a name, as the REST API answers them (one definition,
 * in @jd-collab/protocol).
 */
export type { DocumentStatus, NamedVersion };

export interface DocumentMeta {
  id: string;
  title: string;
  department: string;
  status: DocumentStatus;
  createdAt: number; // ms since epoch
  createdBy: string; // user id
  updatedAt: number;
  /** User id of the last editor (change or metadata); the creator until someone edits. */
  updatedBy: string | null;
  updatedByName: string | null;
  /** Version of the latest committed change (0 when none). Kept up to date by commitChanges. */
  version: number;
  /**
   * Made once, when the document is created, and never changed (a restore keeps it). Sessions and
   * their pending changes are bound to it: an id created again after a purge is a new document
   * with another incarnation, so edits made for the old one are refused, never applied to it.
   */
  incarnation: string;
  /** Structured posting fields ({} until someone sets one): location, pay, ... (protocol posting.ts). */
  posting: Posting;
  /** Set while the document is in the trash (trashDocument), null otherwise. */
  deletedAt: number | null;
  deletedBy: string | null;
  deletedByName: string | null;
}

/** Who moves a document to the trash, and when (defaults to Date.now()). */
export interface TrashRequest {
  deletedBy: string;
  deletedByName: string;
  deletedAt?: number;
}

export interface StoredChange {
  documentId: string;
  /** The version this change produced: it applies to version - 1. */
  version: number;
  changeId: string;
  userId: string;
  userName: string;
  /** The op as committed, i.e. already transformed to apply at version - 1. */
  op: Op;
  createdAt: number;
}

export interface Snapshot {
  documentId: string;
  version: number;
  content: string;
  createdAt: number;
}

export type CommitResult =
  | { ok: true; version: number }
  /** Someone else committed at one of those versions first: read what you missed, transform, retry. */
  | { ok: false; reason: 'version-taken'; currentVersion: number }
  /** One of the changeIds is already stored: it was committed before (a retry). */
  | { ok: false; reason: 'duplicate-change'; existing: StoredChange };

export interface NewDocument {
  id: string;
  title: string;
  department: string;
  status?: DocumentStatus;
  content: string;
  createdBy: string;
  createdByName: string;
  createdAt?: number;
}

export interface DocumentMetaPatch {
  title?: string;
  department?: string;
  status?: DocumentStatus;
  /** Replaces the posting fields it names, clears those given as null (atomically, in the store). */
  posting?: PostingPatch;
  updatedBy: string;
  updatedByName: string;
  /** Defaults to Date.now(). */
  updatedAt?: number;
}

export interface DocumentStore {
  /** Backend name for logs and metrics ('sqlite', 'postgres'). */
  readonly kind: string;
  /** Creates tables / runs migrations. Idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** Throws when storage is unreachable (used by /readyz). */
  ping(): Promise<void>;

  /**
   * Creates the document with a snapshot of `content` at version 0. False when the id exists.
   * updatedAt/updatedBy/updatedByName start as createdAt/createdBy/createdByName.
   */
  createDocument(doc: NewDocument): Promise<boolean>;
  getDocument(id: string): Promise<DocumentMeta | null>;
  /** Most recently updated first (ties by id). */
  listDocuments(): Promise<DocumentMeta[]>;
  updateDocument(id: string, patch: DocumentMetaPatch): Promise<DocumentMeta | null>;
  /**
   * Removes the document with its changes, snapshots and named versions, in the trash or not (the
   * permanent delete). False when absent.
   */
  deleteDocument(id: string): Promise<boolean>;

  // The trash. getDocument, listDocuments and updateDocument only see documents outside it; a
  // trashed id stays taken (createDocument answers false) until it is purged.

  /** The document whether in the trash or not (deletedAt tells); null when it does not exist. */
  findDocument(id: string): Promise<DocumentMeta | null>;
  /** Moves a live document to the trash, keeping everything. Null when absent or already there. */
  trashDocument(id: string, request: TrashRequest): Promise<DocumentMeta | null>;
  /** Takes a document out of the trash, as it was. Null when it is not in the trash. */
  restoreDocument(id: string): Promise<DocumentMeta | null>;
  /** The documents in the trash, most recently deleted first (ties by id). */
  listTrash(): Promise<DocumentMeta[]>;
  /** Permanently deletes the documents trashed before `deletedBefore` (ms). Returns their ids. */
  purgeTrash(deletedBefore: number): Promise<string[]>;

  /**
   * Atomically appends `changes` (consecutive versions expectedVersion+1, +2, ...) when the
   * document's latest version is `expectedVersion`; otherwise commits nothing and reports why.
   * Group commit: one transaction for all of them. Also bumps the document's version/updatedAt.
   * The changeId check comes first: a batch holding an already stored (userId, changeId) is
   * reported as 'duplicate-change' whatever expectedVersion is, since retrying it could never
   * succeed.
   * Rejects with DOCUMENT_NOT_FOUND for an unknown document, INVALID_ARGUMENT for a malformed
   * batch (empty, other document, versions not consecutive from expectedVersion+1, one author's
   * changeId twice). updatedAt/updatedBy/updatedByName become those of the last change.
   */
  commitChanges(documentId: string, expectedVersion: number, changes: StoredChange[]): Promise<CommitResult>;
  /** Changes with fromVersion < version <= toVersion (toVersion defaults to the latest), in order. */
  getChanges(documentId: string, fromVersion: number, toVersion?: number): Promise<StoredChange[]>;
  /** The change `userId` committed under `changeId` (another author's same changeId is not it). */
  findChange(documentId: string, userId: string, changeId: string): Promise<StoredChange | null>;
  /**
   * The latest version whose change was committed before `time` (ms since epoch); 0 when none was
   * (or the document does not exist). Compaction's cut-off.
   */
  lastVersionBefore(documentId: string, time: number): Promise<number>;
  /**
   * Compaction: deletes the changes with version <= throughVersion and the snapshots before it.
   * A snapshot at exactly `throughVersion` must exist, so the document and every later version can
   * still be rebuilt: INVALID_ARGUMENT otherwise (DOCUMENT_NOT_FOUND for an unknown document).
   * Returns how many changes were deleted.
   */
  deleteChangesThrough(documentId: string, throughVersion: number): Promise<number>;

  /**
   * Stores (or replaces: a snapshot at a version is a pure function of the history) a snapshot.
   * DOCUMENT_NOT_FOUND for an unknown document, INVALID_ARGUMENT for a version not reached yet.
   */
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  /** Latest snapshot with version <= atOrBefore (default: the latest of all). */
  getSnapshot(documentId: string, atOrBefore?: number): Promise<Snapshot | null>;

  /** DOCUMENT_NOT_FOUND for an unknown document, ALREADY_EXISTS when the id is taken. */
  saveNamedVersion(version: NamedVersion): Promise<void>;
  /** Ordered by version, then createdAt, then id (oldest first). */
  listNamedVersions(documentId: string): Promise<NamedVersion[]>;
}
