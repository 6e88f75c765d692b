/**
 * DocumentStore on PostgreSQL (`pg` pool), for several server nodes sharing one database.
 *
 * Concurrency: commitChanges is ONE autocommitted statement (see #tryCommit) that updates the
 * document row only if its version is expectedVersion and none of the changeIds is stored, and
 * inserts the changes only if that update happened. The row lock that serialises committers to
 * a document across nodes is thus held for one statement, never across round trips to a Node
 * process that may be busy. A refused commit finds out why with a separate read, holding no
 * lock. The primary key (document_id, version) backs this up: even a writer that skipped the
 * document row could not store two changes at one version, and that case is reported as
 * 'version-taken' too. Versions are consecutive from expectedVersion + 1 and the document's
 * version moves in the same statement, so the history never has a gap. The other multi-statement
 * methods are one transaction each.
 *
 * Failures: a rejection that is not a StoreError means the database was unreachable or failed;
 * the statement or transaction was rolled back (PostgreSQL also aborts one whose connection
 * dies), so nothing was written, with one unavoidable exception: if the connection dies after a
 * commit was sent, it may have happened. The caller retries with the same changeIds and gets
 * 'duplicate-change' with the stored change, which is exactly how retries are recognised.
 */

import type { PoolClient, QueryResultRow } from 'pg';
import pg from 'pg';
import { checkTrashRequest, newIncarnation } from './lifecycle.js';
import { assertSchemaName, runPostgresMigrations } from './postgres-migrations.js';
import { parseSafeInteger } from './postgres-rows.js';
import { PostgresTrash } from './postgres-trash.js';
import {
  CHANGE_COLUMNS,
  type ChangeRow,
  DOCUMENT_COLUMNS,
  type DocumentRow,
  NAMED_VERSION_COLUMNS,
  type NamedVersionRow,
  SNAPSHOT_COLUMNS,
  type SnapshotRow,
  toChange,
  toMeta,
  toNamedVersion,
  toSnapshot,
} from './rows.js';
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
  authorKey,
  checkCommitBatch,
  checkMetaPatch,
  checkNamedVersion,
  checkNewDocument,
  checkSnapshot,
} from './validate.js';

export interface PostgresStoreOptions {
  /** e.g. `postgres://user:password@host:5432/database` (DATABASE_URL). */
  connectionString: string;
  /** Schema holding the tables, created if missing. Default 'public'. */
  schema?: string;
  /** Connections in the pool. Default 10: a commit holds one for one or two round trips. */
  poolSize?: number;
  /**
   * How long to wait for a connection before failing. Default 5 s, so that ping() (/readyz)
   * and requests fail promptly while the database is unreachable instead of hanging.
   */
  connectionTimeoutMs?: number;
  /**
   * Longest a statement may run (statement_timeout), lock waits included. Default 15 s: a commit
   * queued behind a stuck transaction fails (and is retried by the client) instead of hanging.
   */
  statementTimeoutMs?: number;
  /**
   * Errors of idle pooled connections (the server restarted, the network dropped). The pool
   * discards such a connection and opens a new one when needed; this only reports them.
   */
  onError?: (error: Error) => void;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
/**
 * A transaction left open by a node that hung (or whose machine vanished without closing its
 * sockets) would hold its row locks and block every other node's commits to that document; the
 * server ends such a session after this long. Our transactions are a few statements long.
 */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;
const NO_LIMIT = Number.MAX_SAFE_INTEGER;
const INT8_OID = 20;
const UNIQUE_VIOLATION = '23505';

/** int8 as number (checked), everything else as pg parses it by default. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseSafeInteger
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export class PostgresStore implements DocumentStore {
  readonly kind = 'postgres';
  readonly #options: PostgresStoreOptions;
  readonly #schema: string;
  readonly #t: Tables;
  #pool: pg.Pool | null = null;
  #initialising: Promise<void> | null = null;
  #closed = false;

  constructor(options: PostgresStoreOptions) {
    this.#options = options;
    this.#schema = options.schema ?? 'public';
    assertSchemaName(this.#schema);
    this.#t = tables(this.#schema);
  }

  /** Opens the pool and migrates the schema. Idempotent; concurrent calls share one run. */
  init(): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    this.#initialising ??= this.#open().catch((error: unknown) => {
      this.#initialising = null; // let a later init() try again (e.g. the database was down)
      throw error;
    });
    return this.#initialising;
  }

  async #open(): Promise<void> {
    const pool = new pg.Pool({
      connectionString: this.#options.connectionString,
      max: this.#options.poolSize ?? DEFAULT_POOL_SIZE,
      connectionTimeoutMillis: this.#options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      application_name: 'jd-collab',
      statement_timeout: this.#options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
      // Notices a database machine that vanished without closing the socket.
      keepAlive: true,
      types,
    });
    // Without a listener, an idle connection's error would crash the process.
    pool.on('error', (error) => this.#options.onError?.(error));
    try {
      await this.#withClient(pool, (client) => runPostgresMigrations(client, this.#schema));
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await pool.end();
      throw closedError();
    }
    this.#pool = pool;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pending = this.#initialising;
    this.#initialising = null;
    await pending?.catch(() => undefined);
    const pool = this.#pool;
    this.#pool = null;
    await pool?.end();
  }

  async ping(): Promise<void> {
    await this.#connected().query('SELECT 1');
  }

  /** The schema holding the tables (for diagnostics and tests). */
  get schema(): string {
    return this.#schema;
  }

  async createDocument(doc: NewDocument): Promise<boolean> {
    const pool = this.#connected();
    checkNewDocument(doc);
    const createdAt = doc.createdAt ?? Date.now();
    return this.#transaction(pool, async (client) => {
      const inserted = await client.query(
        `INSERT INTO ${this.#t.documents} (${DOCUMENT_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $5, $6, $7, 0, $8, '{}', NULL, NULL, NULL)
         ON CONFLICT (id) DO NOTHING`,
        [
          doc.id,
          doc.title,
          doc.department,
          doc.status ?? 'draft',
          createdAt,
          doc.createdBy,
          doc.createdByName,
          newIncarnation(),
        ],
      );
      if (inserted.rowCount === 0) return false;
      await client.query(`INSERT INTO ${this.#t.snapshots} (${SNAPSHOT_COLUMNS}) VALUES ($1, 0, $2, $3)`, [
        doc.id,
        doc.content,
        createdAt,
      ]);
      return true;
    });
  }

  async getDocument(id: string): Promise<DocumentMeta | null> {
    const rows = await this.#rows<DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM ${this.#t.documents} WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return rows[0] ? toMeta(rows[0]) : null;
  }

  async listDocuments(): Promise<DocumentMeta[]> {
    // COLLATE "C": ids compare by code point, as in SQLite, whatever the database's locale.
    const rows = await this.#rows<DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM ${this.#t.documents} WHERE deleted_at IS NULL
       ORDER BY updated_at DESC, id COLLATE "C" ASC`,
    );
    return rows.map(toMeta);
  }

  async updateDocument(id: string, patch: DocumentMetaPatch): Promise<DocumentMeta | null> {
    const pool = this.#connected();
    checkMetaPatch(patch);
    // One statement, so atomic on its own; COALESCE keeps the fields the patch leaves out.
    const result = await pool.query<DocumentRow>(
      `UPDATE ${this.#t.documents}
       SET title = COALESCE($2, title), department = COALESCE($3, department),
           status = COALESCE($4, status), updated_at = $5, updated_by = $6, updated_by_name = $7,
           -- The posting patch merged in this statement (atomic): || replaces the fields it names,
           -- jsonb_strip_nulls clears those it gives as null.
           posting = CASE WHEN $8::text IS NULL THEN posting
                          ELSE jsonb_strip_nulls(posting::jsonb || $8::text::jsonb)::text END
       WHERE id = $1 AND deleted_at IS NULL
       RETURNING ${DOCUMENT_COLUMNS}`,
      [
        id,
        patch.title ?? null,
        patch.department ?? null,
        patch.status ?? null,
        patch.updatedAt ?? Date.now(),
        patch.updatedBy,
        patch.updatedByName,
        patch.posting === undefined ? null : JSON.stringify(patch.posting),
      ],
    );
    return result.rows[0] ? toMeta(result.rows[0]) : null;
  }

  async deleteDocument(id: string): Promise<boolean> {
    // Changes, snapshots and named versions go with it (ON DELETE CASCADE, always enforced).
    const result = await this.#connected().query(`DELETE FROM ${this.#t.documents} WHERE id = $1`, [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async findDocument(id: string): Promise<DocumentMeta | null> {
    return this.#trash().find(id);
  }

  async trashDocument(id: string, request: TrashRequest): Promise<DocumentMeta | null> {
    checkTrashRequest(request);
    return this.#trash().trash(id, request);
  }

  async restoreDocument(id: string): Promise<DocumentMeta | null> {
    return this.#trash().restore(id);
  }

  async listTrash(): Promise<DocumentMeta[]> {
    return this.#trash().list();
  }

  async purgeTrash(deletedBefore: number): Promise<string[]> {
    assertBound(deletedBefore, 'deletedBefore');
    return this.#trash().purge(deletedBefore);
  }

  #trash(): PostgresTrash {
    return new PostgresTrash(this.#connected(), this.#t.documents);
  }

  async commitChanges(
    documentId: string,
    expectedVersion: number,
    changes: StoredChange[],
  ): Promise<CommitResult> {
    const pool = this.#connected();
    checkCommitBatch(documentId, expectedVersion, changes);
    const result = await this.#commitOnce(pool, documentId, expectedVersion, changes);
    // The statement judges the version by its snapshot, taken as it starts: a commit reaching
    // expectedVersion just after that makes it refuse a version the caller rightly aimed at.
    // "Taken" at the caller's own version would be wrong: try once more (rare).
    if (!result.ok && result.reason === 'version-taken' && result.currentVersion === expectedVersion) {
      return this.#commitOnce(pool, documentId, expectedVersion, changes);
    }
    return result;
  }

  async #commitOnce(
    pool: pg.Pool,
    documentId: string,
    expectedVersion: number,
    changes: StoredChange[],
  ): Promise<CommitResult> {
    try {
      if (await this.#tryCommit(pool, documentId, expectedVersion, changes)) {
        return { ok: true, version: changes[changes.length - 1]!.version };
      }
    } catch (error) {
      // Only reachable by a writer that bypassed the document row; the keys still decide.
      if (!isUniqueViolation(error)) throw error;
    }
    return this.#explainConflict(documentId, changes);
  }

  /**
   * The commit as one autocommitted statement, so the document's row lock is held for that
   * statement alone, never across round trips to a busy Node process. True when committed.
   *
   * Under READ COMMITTED: the NOT EXISTS (uncorrelated, evaluated once) sees the statement's
   * snapshot. The UPDATE checks version = expectedVersion on the row as of that snapshot; if
   * another statement updated (or is updating) the row since, it waits for it to finish and
   * re-checks the condition on the newest row version. Every commit raises the version, so any
   * commit our snapshot does not show (whose changeIds our NOT EXISTS could miss) makes our
   * version check fail. The INSERT only runs when the UPDATE matched (EXISTS on its RETURNING),
   * and a data-modifying CTE runs to completion: all or nothing, like any one statement. The
   * unique keys stay the last line of defence.
   */
  async #tryCommit(
    pool: pg.Pool,
    documentId: string,
    expectedVersion: number,
    changes: StoredChange[],
  ): Promise<boolean> {
    const last = changes[changes.length - 1]!;
    const result = await pool.query<{ committed: boolean }>(
      `WITH doc AS (
         UPDATE ${this.#t.documents}
         SET version = $8, updated_at = $9, updated_by = $10, updated_by_name = $11
         WHERE id = $1 AND version = $12
           AND NOT EXISTS (SELECT 1 FROM ${this.#t.changes} WHERE document_id = $1
                             AND (user_id, change_id) IN (SELECT * FROM unnest($4::text[], $3::text[])))
         RETURNING id
       ), inserted AS (
         INSERT INTO ${this.#t.changes} (${CHANGE_COLUMNS})
         SELECT $1::text, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
         WHERE EXISTS (SELECT 1 FROM doc)
       )
       SELECT EXISTS (SELECT 1 FROM doc) AS committed`,
      [
        documentId,
        changes.map((c) => c.version),
        changes.map((c) => c.changeId),
        changes.map((c) => c.userId),
        changes.map((c) => c.userName),
        changes.map((c) => JSON.stringify(c.op)),
        changes.map((c) => c.createdAt),
        last.version,
        last.createdAt,
        last.userId,
        last.userName,
        expectedVersion,
      ],
    );
    return result.rows[0]?.committed === true;
  }

  async getChanges(documentId: string, fromVersion: number, toVersion?: number): Promise<StoredChange[]> {
    const pool = this.#connected();
    assertBound(fromVersion, 'fromVersion');
    if (toVersion !== undefined) assertBound(toVersion, 'toVersion');
    const result = await pool.query<ChangeRow>(
      `SELECT ${CHANGE_COLUMNS} FROM ${this.#t.changes}
       WHERE document_id = $1 AND version > $2 AND version <= $3 ORDER BY version ASC`,
      [documentId, fromVersion, toVersion ?? NO_LIMIT],
    );
    return result.rows.map(toChange);
  }

  async findChange(documentId: string, userId: string, changeId: string): Promise<StoredChange | null> {
    const rows = await this.#rows<ChangeRow>(
      `SELECT ${CHANGE_COLUMNS} FROM ${this.#t.changes} WHERE document_id = $1 AND user_id = $2 AND change_id = $3`,
      [documentId, userId, changeId],
    );
    return rows[0] ? toChange(rows[0]) : null;
  }

  async lastVersionBefore(documentId: string, time: number): Promise<number> {
    const rows = await this.#rows<{ version: string | number | null }>(
      `SELECT MAX(version) AS version FROM ${this.#t.changes} WHERE document_id = $1 AND created_at < $2`,
      [documentId, time],
    );
    return Number(rows[0]?.version ?? 0);
  }

  async deleteChangesThrough(documentId: string, throughVersion: number): Promise<number> {
    const pool = this.#connected();
    assertBound(throughVersion, 'throughVersion');
    return this.#transaction(pool, async (client) => {
      const doc = await client.query(`SELECT 1 FROM ${this.#t.documents} WHERE id = $1 FOR SHARE`, [
        documentId,
      ]);
      if (doc.rowCount === 0) throw notFound(documentId);
      const at = await client.query(
        `SELECT 1 FROM ${this.#t.snapshots} WHERE document_id = $1 AND version = $2`,
        [documentId, throughVersion],
      );
      if (at.rowCount === 0) {
        throw new StoreError('INVALID_ARGUMENT', `no snapshot of ${documentId} at version ${throughVersion}`);
      }
      await client.query(
        `DELETE FROM ${this.#t.snapshots} WHERE document_id = $1 AND version < $2
           AND version NOT IN (SELECT version FROM ${this.#t.namedVersions} WHERE document_id = $1)`,
        [documentId, throughVersion],
      );
      const deleted = await client.query(
        `DELETE FROM ${this.#t.changes} WHERE document_id = $1 AND version <= $2`,
        [documentId, throughVersion],
      );
      return deleted.rowCount ?? 0;
    });
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    const pool = this.#connected();
    checkSnapshot(snapshot);
    await this.#transaction(pool, async (client) => {
      // FOR SHARE: the document cannot be deleted or move past this check until we are done.
      const doc = await client.query<{ version: number }>(
        `SELECT version FROM ${this.#t.documents} WHERE id = $1 FOR SHARE`,
        [snapshot.documentId],
      );
      const current = doc.rows[0];
      if (!current) throw notFound(snapshot.documentId);
      if (snapshot.version > current.version) {
        throw new StoreError(
          'INVALID_ARGUMENT',
          `snapshot version ${snapshot.version} is ahead of document ${snapshot.documentId} (version ${current.version})`,
        );
      }
      await client.query(
        `INSERT INTO ${this.#t.snapshots} (${SNAPSHOT_COLUMNS}) VALUES ($1, $2, $3, $4)
         ON CONFLICT (document_id, version)
         DO UPDATE SET content = excluded.content, created_at = excluded.created_at`,
        [snapshot.documentId, snapshot.version, snapshot.content, snapshot.createdAt],
      );
    });
  }

  async getSnapshot(documentId: string, atOrBefore?: number): Promise<Snapshot | null> {
    const pool = this.#connected();
    if (atOrBefore !== undefined) assertBound(atOrBefore, 'atOrBefore');
    const result = await pool.query<SnapshotRow>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM ${this.#t.snapshots}
       WHERE document_id = $1 AND version <= $2 ORDER BY version DESC LIMIT 1`,
      [documentId, atOrBefore ?? NO_LIMIT],
    );
    return result.rows[0] ? toSnapshot(result.rows[0]) : null;
  }

  async saveNamedVersion(version: NamedVersion): Promise<void> {
    const pool = this.#connected();
    checkNamedVersion(version);
    await this.#transaction(pool, async (client) => {
      const doc = await client.query(`SELECT 1 FROM ${this.#t.documents} WHERE id = $1 FOR SHARE`, [
        version.documentId,
      ]);
      if (doc.rowCount === 0) throw notFound(version.documentId);
      const inserted = await client.query(
        `INSERT INTO ${this.#t.namedVersions} (${NAMED_VERSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO NOTHING`,
        [
          version.id,
          version.documentId,
          version.name,
          version.version,
          version.createdBy,
          version.createdByName,
          version.createdAt,
        ],
      );
      if (inserted.rowCount === 0) {
        throw new StoreError('ALREADY_EXISTS', `a named version with id ${version.id} exists already`);
      }
    });
  }

  async listNamedVersions(documentId: string): Promise<NamedVersion[]> {
    const rows = await this.#rows<NamedVersionRow>(
      `SELECT ${NAMED_VERSION_COLUMNS} FROM ${this.#t.namedVersions}
       WHERE document_id = $1 ORDER BY version ASC, created_at ASC, id COLLATE "C" ASC`,
      [documentId],
    );
    return rows.map(toNamedVersion);
  }

  /**
   * Why a commit stored nothing, read after it (no lock, one statement, so one snapshot): the
   * document is unknown; or one of the changeIds is stored (the first in batch order is
   * reported: a retried change is final whatever version it was aimed at); or the version moved.
   * The highest stored change counts even if the document row lags behind it (a rogue writer).
   */
  async #explainConflict(documentId: string, changes: StoredChange[]): Promise<Refusal> {
    const rows = await this.#rows<(ChangeRow | { change_id: null }) & { current_version: number }>(
      `SELECT c.*, GREATEST(d.version, COALESCE(
           (SELECT MAX(version) FROM ${this.#t.changes} WHERE document_id = $1), 0)) AS current_version
       FROM ${this.#t.documents} d
       LEFT JOIN LATERAL (
         SELECT ${CHANGE_COLUMNS} FROM ${this.#t.changes}
         WHERE document_id = d.id
           AND (user_id, change_id) IN (SELECT * FROM unnest($3::text[], $2::text[]))
       ) c ON true
       WHERE d.id = $1`,
      [documentId, changes.map((c) => c.changeId), changes.map((c) => c.userId)],
    );
    const first = rows[0];
    if (!first) throw notFound(documentId);
    const stored = new Map<string, ChangeRow>();
    for (const row of rows)
      if (row.change_id !== null) stored.set(authorKey(row.user_id, row.change_id), row);
    for (const change of changes) {
      const row = stored.get(authorKey(change.userId, change.changeId));
      if (row) return { ok: false, reason: 'duplicate-change', existing: toChange(row) };
    }
    return { ok: false, reason: 'version-taken', currentVersion: first.current_version };
  }

  async #rows<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.#connected().query<R>(sql, params)).rows;
  }

  /** BEGIN ... COMMIT on one pooled connection; ROLLBACK (and rethrow) on any error. */
  async #transaction<T>(pool: pg.Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.#withClient(pool, async (client, markBroken) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // If even ROLLBACK fails the session is unusable: destroy it, report the first error.
        await client.query('ROLLBACK').catch(markBroken);
        throw error;
      }
    });
  }

  /**
   * Runs `work` on a checked-out connection. A connection that failed is destroyed rather than
   * returned to the pool, so no later caller inherits a broken or half-finished session.
   */
  async #withClient<T>(
    pool: pg.Pool,
    work: (client: PoolClient, markBroken: (error: unknown) => void) => Promise<T>,
  ): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    const markBroken = (error: unknown) => {
      broken ??= error instanceof Error ? error : new Error(String(error));
    };
    // A checked-out connection has no error listener of the pool's: without one, a connection
    // lost between two queries would crash the process. The next query on it rejects anyway.
    client.on('error', markBroken);
    try {
      return await work(client, markBroken);
    } finally {
      client.removeListener('error', markBroken);
      client.release(broken);
    }
  }

  #connected(): pg.Pool {
    if (this.#pool) return this.#pool;
    throw this.#closed ? closedError() : new StoreError('CLOSED', 'call init() first');
  }
}

type Refusal = Exclude<CommitResult, { ok: true }>;

interface Tables {
  documents: string;
  changes: string;
  snapshots: string;
  namedVersions: string;
}

function tables(schema: string): Tables {
  const q = (name: string) => `"${schema}".${name}`;
  return {
    documents: q('documents'),
    changes: q('changes'),
    snapshots: q('snapshots'),
    namedVersions: q('named_versions'),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && (error as Error & { code?: unknown }).code === UNIQUE_VIOLATION;
}

function notFound(documentId: string): StoreError {
  return new StoreError('DOCUMENT_NOT_FOUND', `document ${documentId} does not exist`);
}

function closedError(): StoreError {
  return new StoreError('CLOSED', 'the PostgreSQL store is closed');
}

/** Creates a PostgreSQL store; call init() before use. */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  return new PostgresStore(options);
}
