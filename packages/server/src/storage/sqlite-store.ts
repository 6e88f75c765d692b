/**
 * DocumentStore on SQLite (better-sqlite3). better-sqlite3 is synchronous: each method runs its
 * statements to completion before returning, so every method is atomic with respect to the
 * others in this process, and every write runs in an IMMEDIATE transaction so that other
 * processes on the same file are serialised by SQLite's write lock.
 *
 * Cross-document group commit: a transaction costs a WAL write (and with synchronous=full an
 * fsync) that blocks the event loop, and the collab core group-commits per document only, so
 * 1,000 active documents would mean 1,000 transactions per round. commitChanges therefore only
 * queues its request; a setImmediate callback commits everything queued meanwhile in ONE outer
 * transaction, each request in its own SAVEPOINT (a refused or failed request rolls back alone).
 * setImmediate rather than a microtask: it runs after the whole poll phase, so the requests that
 * every socket read in this loop turn produced share the transaction, at the cost of no timer.
 * A promise settles only after the outer COMMIT returned (and, with synchronous 'full', after the
 * WAL was fsynced: see WalSync): an ack never precedes durability. If
 * the outer transaction fails (BEGIN or COMMIT), every request of that flush is rejected and none
 * of them is stored. Other writes flush the queue first, so writes keep the order they were
 * issued in; reads see committed data only (a commit is visible once its promise resolved).
 */

import { applyPostingPatch, type Posting } from '@jd-collab/protocol';
import Database from 'better-sqlite3';
import { checkTrashRequest, newIncarnation } from './lifecycle.js';
import { type DocumentRow, toChange, toMeta, toNamedVersion, toSnapshot } from './rows.js';
import { runSqliteMigrations } from './sqlite-migrations.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';
import { prepareTrash, type SqliteTrash } from './sqlite-trash.js';
import { StoreError } from './store-errors.js';
import type {
  CommitResult,
  DocumentMeta,
  DocumentMetaPatch,
  DocumentStore,
  NamedVersion,
  NewDocument,
  Snapshot,
  StoredChange,
  TrashRequest,
} from './types.js';
import {
  assertBound,
  checkCommitBatch,
  checkMetaPatch,
  checkNamedVersion,
  checkNewDocument,
  checkSnapshot,
} from './validate.js';
import { type FsyncFn, WalSync } from './wal-sync.js';

export interface SqliteStoreOptions {
  /** Path of the database file, or ':memory:' (a private database that dies with the store). */
  filename: string;
  /**
   * When a commit is durable (PRAGMA synchronous). Default 'normal'. In WAL mode:
   * - 'normal' fsyncs only at checkpoints. A transaction is written to the WAL file (the OS page
   *   cache) before commit returns, so a crash or kill of this process loses nothing that was
   *   acknowledged; only an OS crash or power loss can roll back the last few transactions. The
   *   database file itself is never corrupted either way.
   * - 'full': a write resolves only once the WAL holding it was fsynced, so an ack survives power
   *   loss too. SQLite's own FULL would fsync inside COMMIT, and better-sqlite3 is synchronous, so
   *   every fsync (0.5-17 ms on the disk we measured) would stall every socket of the process; the
   *   store instead runs SQLite with NORMAL and fsyncs the WAL file on libuv's thread pool after
   *   each commit (WalSync: same guarantee, the event loop keeps serving, one fsync shared by all
   *   commits that finished meanwhile). A file-less database (':memory:') has nothing to sync.
   */
  synchronous?: 'full' | 'normal';
  /** How long to wait for another connection's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** The WAL's fsync (default node:fs fsync): the file-system seam where tests make a disk stall. */
  fsync?: FsyncFn;
}

/** Counters for tests and diagnostics: how well cross-document group commit batches. */
export interface CommitStats {
  /** Outer transactions committed by the commitChanges queue. */
  transactions: number;
  /** commitChanges requests settled by those transactions (stored, refused or failed alone). */
  requests: number;
  /** Flushes whose outer transaction failed (every request of the flush was rejected). */
  failedTransactions: number;
  /** fsyncs of the WAL made for 'full' durability (one may cover several transactions). */
  syncs: number;
}

/** A queued commitChanges call, with its changes already turned into rows (a snapshot of the input). */
interface CommitRequest {
  documentId: string;
  expectedVersion: number;
  rows: ChangeParams[];
  resolve(result: CommitResult): void;
  reject(error: unknown): void;
}

type ChangeParams = [string, number, string, string, string, string, number];

/** What one request's savepoint produced, settled only once the outer transaction committed. */
type Outcome = { ok: true; result: CommitResult } | { ok: false; error: unknown };

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** Upper bound for "no upper bound" in range queries (SQLite integers are 64-bit). */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

export class SqliteStore implements DocumentStore {
  readonly kind = 'sqlite';
  readonly #options: SqliteStoreOptions;
  #open: Connection | null = null;
  #closed = false;
  #queue: CommitRequest[] = [];
  #flushScheduled = false;
  /** Set for synchronous 'full' on a file: writes resolve after the WAL was fsynced. */
  #walSync: WalSync | null = null;
  readonly #stats: Omit<CommitStats, 'syncs'> = { transactions: 0, requests: 0, failedTransactions: 0 };

  constructor(options: SqliteStoreOptions) {
    this.#options = options;
  }

  /** Opens the file, sets the pragmas and migrates the schema. Idempotent. */
  async init(): Promise<void> {
    if (this.#closed) throw new StoreError('CLOSED', 'the SQLite store is closed');
    if (this.#open) return;
    const db = new Database(this.#options.filename);
    try {
      db.pragma('journal_mode = WAL'); // readers never block the writer; ':memory:' stays 'memory'
      const wal = db.pragma('journal_mode', { simple: true }) === 'wal';
      const full = this.#options.synchronous === 'full';
      // 'full' on a WAL file: NORMAL plus our own fsync of the WAL off the event loop (WalSync).
      db.pragma(`synchronous = ${full && !wal ? 'FULL' : 'NORMAL'}`);
      this.#walSync = full && wal ? new WalSync(`${db.name}-wal`, this.#options.fsync) : null;
      db.pragma(
        `busy_timeout = ${Math.max(0, Math.floor(this.#options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`,
      );
      db.pragma('foreign_keys = ON');
      runSqliteMigrations(db);
      const s = prepareStatements(db);
      this.#open = { db, s, tx: prepareTransactions(db, s), trash: prepareTrash(db, s) };
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    // Commits accepted before close() are stored (and settled) rather than dropped.
    if (this.#open) this.#flush();
    this.#closed = true;
    const open = this.#open;
    this.#open = null;
    await this.#walSync?.close(); // their fsync settles them
    open?.db.close();
  }

  async ping(): Promise<void> {
    this.#conn().s.ping.get();
  }

  /** The underlying connection, for tests and diagnostics (pragmas, schema). */
  get database(): Database.Database {
    return this.#conn().db;
  }

  /** A copy of the group-commit counters (see CommitStats). */
  get commitStats(): CommitStats {
    return { ...this.#stats, syncs: this.#walSync?.syncs ?? 0 };
  }

  async createDocument(doc: NewDocument): Promise<boolean> {
    checkNewDocument(doc);
    return this.#durable(this.#writer().createDocument(doc));
  }

  async getDocument(id: string): Promise<DocumentMeta | null> {
    const row = this.#conn().s.getDocument.get(id);
    return row ? toMeta(row) : null;
  }

  async listDocuments(): Promise<DocumentMeta[]> {
    return this.#conn().s.listDocuments.all().map(toMeta);
  }

  async updateDocument(id: string, patch: DocumentMetaPatch): Promise<DocumentMeta | null> {
    checkMetaPatch(patch);
    return this.#durable(this.#writer().updateDocument(id, patch));
  }

  async deleteDocument(id: string): Promise<boolean> {
    return this.#durable(this.#writer().deleteDocument(id));
  }

  async findDocument(id: string): Promise<DocumentMeta | null> {
    return this.#conn().trash.find(id);
  }

  async trashDocument(id: string, request: TrashRequest): Promise<DocumentMeta | null> {
    checkTrashRequest(request);
    this.#writer(); // queued commits first: writes apply in the order they were issued
    return this.#durable(this.#conn().trash.trash(id, request));
  }

  async restoreDocument(id: string): Promise<DocumentMeta | null> {
    this.#writer();
    return this.#durable(this.#conn().trash.restore(id));
  }

  async listTrash(): Promise<DocumentMeta[]> {
    return this.#conn().trash.list();
  }

  async purgeTrash(deletedBefore: number): Promise<string[]> {
    assertBound(deletedBefore, 'deletedBefore');
    this.#writer();
    return this.#durable(this.#conn().trash.purge(deletedBefore));
  }

  async commitChanges(
    documentId: string,
    expectedVersion: number,
    changes: StoredChange[],
  ): Promise<CommitResult> {
    checkCommitBatch(documentId, expectedVersion, changes);
    this.#conn(); // a closed store refuses now, not at flush time
    // Rows are built now so that a caller mutating its changes afterwards cannot alter the commit.
    const rows = changes.map(
      (c): ChangeParams => [
        documentId,
        c.version,
        c.changeId,
        c.userId,
        c.userName,
        JSON.stringify(c.op),
        c.createdAt,
      ],
    );
    return new Promise<CommitResult>((resolve, reject) => {
      this.#queue.push({ documentId, expectedVersion, rows, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  async getChanges(documentId: string, fromVersion: number, toVersion?: number): Promise<StoredChange[]> {
    assertBound(fromVersion, 'fromVersion');
    if (toVersion !== undefined) assertBound(toVersion, 'toVersion');
    return this.#conn()
      .s.getChanges.all(documentId, fromVersion, toVersion ?? NO_LIMIT)
      .map(toChange);
  }

  async findChange(documentId: string, userId: string, changeId: string): Promise<StoredChange | null> {
    const row = this.#conn().s.findChange.get(documentId, userId, changeId);
    return row ? toChange(row) : null;
  }

  async lastVersionBefore(documentId: string, time: number): Promise<number> {
    return this.#conn().s.lastVersionBefore.get(documentId, time)?.version ?? 0;
  }

  async deleteChangesThrough(documentId: string, throughVersion: number): Promise<number> {
    assertBound(throughVersion, 'throughVersion');
    return this.#durable(this.#writer().deleteChangesThrough(documentId, throughVersion));
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    checkSnapshot(snapshot);
    await this.#durable(this.#writer().saveSnapshot(snapshot));
  }

  async getSnapshot(documentId: string, atOrBefore?: number): Promise<Snapshot | null> {
    if (atOrBefore !== undefined) assertBound(atOrBefore, 'atOrBefore');
    const row = this.#conn().s.getSnapshot.get(documentId, atOrBefore ?? NO_LIMIT);
    return row ? toSnapshot(row) : null;
  }

  async saveNamedVersion(version: NamedVersion): Promise<void> {
    checkNamedVersion(version);
    await this.#durable(this.#writer().saveNamedVersion(version));
  }

  async listNamedVersions(documentId: string): Promise<NamedVersion[]> {
    return this.#conn().s.listNamedVersions.all(documentId).map(toNamedVersion);
  }

  /** `result` once the write that produced it is durable (at once unless synchronous is 'full'). */
  async #durable<T>(result: T): Promise<T> {
    await this.#walSync?.synced();
    return result;
  }

  /** The write transactions, after the queued commits: writes apply in the order they were issued. */
  #writer(): Connection['tx'] {
    const open = this.#conn();
    this.#flush();
    return open.tx;
  }

  /**
   * Commits every queued request in one outer transaction, then settles their promises. Runs
   * synchronously; never throws (a failure rejects the flush's requests instead).
   */
  #flush(): void {
    this.#flushScheduled = false;
    const requests = this.#queue;
    if (requests.length === 0) return;
    this.#queue = [];
    const open = this.#open;
    if (!open) {
      const error = new StoreError('CLOSED', 'the SQLite store is closed');
      for (const r of requests) r.reject(error);
      return;
    }
    let outcomes: Outcome[];
    try {
      outcomes = open.tx.commitMany(requests);
    } catch (error) {
      // BEGIN or COMMIT failed (or SQLite rolled the whole transaction back): nothing is stored.
      this.#stats.failedTransactions++;
      for (const r of requests) r.reject(error);
      return;
    }
    this.#stats.transactions++;
    this.#stats.requests += requests.length;
    const settle = () =>
      requests.forEach((r, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) r.resolve(outcome.result);
        else r.reject(outcome.error);
      });
    if (!this.#walSync) {
      settle();
      return;
    }
    // Acked only once durable. If the fsync fails the changes may or may not survive a power
    // loss: refuse them (the caller reports storage unavailable); a retry with the same
    // changeIds is recognised as a duplicate if they did.
    this.#walSync.after((error) => {
      if (error) for (const r of requests) r.reject(error);
      else settle();
    });
  }

  #conn(): Connection {
    if (this.#open) return this.#open;
    throw new StoreError('CLOSED', this.#closed ? 'the SQLite store is closed' : 'call init() first');
  }
}

/** The multi-statement operations, each wrapped once in a better-sqlite3 transaction. */
function prepareTransactions(db: Database.Database, s: Statements) {
  const create = db.transaction((doc: NewDocument): boolean => {
    const createdAt = doc.createdAt ?? Date.now();
    const inserted = s.insertDocument.run({
      id: doc.id,
      title: doc.title,
      department: doc.department,
      status: doc.status ?? 'draft',
      created_at: createdAt,
      created_by: doc.createdBy,
      updated_at: createdAt,
      updated_by: doc.createdBy,
      updated_by_name: doc.createdByName,
      version: 0,
      incarnation: newIncarnation(),
      posting: '{}',
      deleted_at: null,
      deleted_by: null,
      deleted_by_name: null,
    });
    if (inserted.changes === 0) return false;
    s.saveSnapshot.run(doc.id, 0, doc.content, createdAt);
    return true;
  });

  const update = db.transaction((id: string, patch: DocumentMetaPatch): DocumentMeta | null => {
    const row = s.getDocument.get(id);
    if (!row) return null;
    const next: DocumentRow = {
      ...row,
      title: patch.title ?? row.title,
      department: patch.department ?? row.department,
      status: patch.status ?? row.status,
      // Read and written in this one IMMEDIATE transaction: concurrent patches of other fields stay.
      posting:
        patch.posting === undefined
          ? row.posting
          : JSON.stringify(applyPostingPatch(JSON.parse(row.posting) as Posting, patch.posting)),
      updated_at: patch.updatedAt ?? Date.now(),
      updated_by: patch.updatedBy,
      updated_by_name: patch.updatedByName,
    };
    s.updateDocument.run(next);
    return toMeta(next);
  });

  const remove = db.transaction((id: string): boolean => {
    // Explicit deletes rather than relying on ON DELETE CASCADE alone: a connection opened
    // without foreign_keys=ON (a debugging session, say) must not leave orphans behind either.
    s.deleteChanges.run(id);
    s.deleteSnapshots.run(id);
    s.deleteNamedVersions.run(id);
    return s.deleteDocument.run(id).changes > 0;
  });

  // Called inside commitMany's transaction, so better-sqlite3 runs it as a SAVEPOINT: when it
  // throws, only its own writes are rolled back.
  const commitOne = db.transaction((request: CommitRequest): CommitResult => {
    const { documentId, expectedVersion, rows } = request;
    const doc = s.getVersion.get(documentId);
    if (!doc) throw notFound(documentId);
    // Duplicates first: a retried change is final whatever version it was aimed at.
    for (const [, , changeId, userId] of rows) {
      const existing = s.findChange.get(documentId, userId, changeId);
      if (existing) return { ok: false, reason: 'duplicate-change', existing: toChange(existing) };
    }
    if (doc.version !== expectedVersion) {
      return { ok: false, reason: 'version-taken', currentVersion: doc.version };
    }
    for (const row of rows) s.insertChange.run(...row);
    const [, version, , userId, userName, , createdAt] = rows[rows.length - 1]!;
    s.bumpVersion.run(version, createdAt, userId, userName, documentId);
    return { ok: true, version };
  });

  const commitMany = db.transaction((requests: CommitRequest[]): Outcome[] =>
    requests.map((request): Outcome => {
      try {
        return { ok: true, result: commitOne(request) };
      } catch (error) {
        // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) roll back the whole transaction: then
        // nothing of this flush can be committed, and the outer transaction must fail.
        if (!db.inTransaction) throw error;
        return { ok: false, error };
      }
    }),
  );

  const snapshot = db.transaction((snap: Snapshot): void => {
    const doc = s.getVersion.get(snap.documentId);
    if (!doc) throw notFound(snap.documentId);
    if (snap.version > doc.version) {
      throw new StoreError(
        'INVALID_ARGUMENT',
        `snapshot version ${snap.version} is ahead of document ${snap.documentId} (version ${doc.version})`,
      );
    }
    s.saveSnapshot.run(snap.documentId, snap.version, snap.content, snap.createdAt);
  });

  const compact = db.transaction((documentId: string, through: number): number => {
    if (!s.getVersion.get(documentId)) throw notFound(documentId);
    if (!s.hasSnapshotAt.get(documentId, through)) {
      throw new StoreError('INVALID_ARGUMENT', `no snapshot of ${documentId} at version ${through}`);
    }
    s.deleteSnapshotsBefore.run(documentId, through, documentId);
    return s.deleteChangesThrough.run(documentId, through).changes;
  });

  const namedVersion = db.transaction((version: NamedVersion): void => {
    if (!s.getVersion.get(version.documentId)) throw notFound(version.documentId);
    const result = s.insertNamedVersion.run({
      id: version.id,
      document_id: version.documentId,
      name: version.name,
      version: version.version,
      created_by: version.createdBy,
      created_by_name: version.createdByName,
      created_at: version.createdAt,
    });
    if (result.changes === 0) {
      throw new StoreError('ALREADY_EXISTS', `a named version with id ${version.id} exists already`);
    }
  });

  // IMMEDIATE takes the write lock before anything is read, so two processes on one file cannot
  // both read version v and then race (or see a document that is being deleted); the second
  // waits (busy_timeout), then reads the new state.
  return {
    createDocument: (doc: NewDocument) => create.immediate(doc),
    updateDocument: (id: string, patch: DocumentMetaPatch) => update.immediate(id, patch),
    deleteDocument: (id: string) => remove.immediate(id),
    commitMany: (requests: CommitRequest[]) => commitMany.immediate(requests),
    saveSnapshot: (snap: Snapshot) => snapshot.immediate(snap),
    deleteChangesThrough: (documentId: string, through: number) => compact.immediate(documentId, through),
    saveNamedVersion: (version: NamedVersion) => namedVersion.immediate(version),
  };
}

interface Connection {
  db: Database.Database;
  s: Statements;
  tx: ReturnType<typeof prepareTransactions>;
  trash: SqliteTrash;
}

function notFound(documentId: string): StoreError {
  return new StoreError('DOCUMENT_NOT_FOUND', `document ${documentId} does not exist`);
}

/** Creates a SQLite store; call init() before use. */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}
