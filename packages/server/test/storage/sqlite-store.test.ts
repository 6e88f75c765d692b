import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSqliteMigrations, SQLITE_MIGRATIONS } from '../../src/storage/sqlite-migrations.js';
import { createSqliteStore, type SqliteStore } from '../../src/storage/sqlite-store.js';
import { isStoreError } from '../../src/storage/store-errors.js';
import type { StoredChange } from '../../src/storage/types.js';
import { describeDocumentStore } from './store-conformance.js';

describeDocumentStore('sqlite :memory:', async () => {
  const store = createSqliteStore({ filename: ':memory:' });
  return { store, cleanup: () => store.close() };
});

describeDocumentStore('sqlite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jd-collab-store-'));
  const store = createSqliteStore({ filename: join(dir, 'store.db') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** An empty document 'doc', for tests about commits. */
const EMPTY_DOC = {
  id: 'doc',
  title: 't',
  department: 'd',
  content: '',
  createdBy: 'u',
  createdByName: 'U',
};

function change(version: number, changeId = `c-${version}`): StoredChange {
  return {
    documentId: 'doc',
    version,
    changeId,
    userId: 'u-1',
    userName: 'Ann',
    op: [version, 'é😀'],
    createdAt: 1_000 + version,
  };
}

describe('SqliteStore on a file', () => {
  let dir: string;
  let filename: string;
  const opened: SqliteStore[] = [];

  async function open(options: { synchronous?: 'full' | 'normal' } = {}): Promise<SqliteStore> {
    const store = createSqliteStore({ filename, ...options });
    opened.push(store);
    await store.init();
    return store;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jd-collab-sqlite-'));
    filename = join(dir, 'docs.db');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps documents, changes, snapshots and named versions across close and reopen', async () => {
    const first = await open();
    await first.createDocument({
      id: 'doc',
      title: 'Café lead',
      department: 'Ops',
      status: 'review',
      content: 'Hi',
      createdBy: 'u-1',
      createdByName: 'Ann',
      createdAt: 1_000,
    });
    await first.commitChanges('doc', 0, [change(1), change(2)]);
    await first.saveSnapshot({ documentId: 'doc', version: 2, content: 'Hi there', createdAt: 1_003 });
    await first.saveNamedVersion({
      id: 'nv',
      documentId: 'doc',
      name: 'First draft',
      version: 2,
      createdBy: 'u-1',
      createdByName: 'Ann',
      createdAt: 1_004,
    });
    const before = {
      meta: await first.getDocument('doc'),
      changes: await first.getChanges('doc', 0),
      snapshot: await first.getSnapshot('doc'),
      named: await first.listNamedVersions('doc'),
    };
    await first.close();

    const second = await open();
    expect({
      meta: await second.getDocument('doc'),
      changes: await second.getChanges('doc', 0),
      snapshot: await second.getSnapshot('doc'),
      named: await second.listNamedVersions('doc'),
    }).toEqual(before);
    expect(before.meta).toMatchObject({ version: 2, status: 'review', title: 'Café lead' });
    // The changeId index survives too: a retry after a restart is still recognised.
    expect(await second.commitChanges('doc', 2, [change(3, 'c-1')])).toEqual({
      ok: false,
      reason: 'duplicate-change',
      existing: change(1),
    });
  });

  it('uses WAL, NORMAL sync by default, FULL on request, a busy timeout and foreign keys', async () => {
    const store = await open();
    expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.database.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(store.database.pragma('busy_timeout', { simple: true })).toBe(5_000);
    expect(store.database.pragma('foreign_keys', { simple: true })).toBe(1);
    // 'full' on a file: SQLite runs NORMAL and the store fsyncs the WAL itself, off the event loop.
    const strict = await open({ synchronous: 'full' });
    expect(strict.database.pragma('synchronous', { simple: true })).toBe(1);
    expect(strict.commitStats.syncs).toBe(0);
  });

  it("with synchronous 'full', resolves a write only after an fsync of the WAL that followed it", async () => {
    const store = await open({ synchronous: 'full' });
    await store.createDocument(EMPTY_DOC);
    expect(store.commitStats.syncs).toBe(1);
    let settled = false;
    const commit = store.commitChanges('doc', 0, [change(1)]).then((result) => {
      settled = true;
      return result;
    });
    // Committed to SQLite within the tick, but not acknowledged before the fsync returned.
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.commitStats.transactions).toBe(1);
    expect(settled).toBe(false);
    expect(await commit).toEqual({ ok: true, version: 1 });
    expect(store.commitStats.syncs).toBe(2);
    // Three commits in one tick: one transaction, one fsync for all of them.
    const results = await Promise.all([2, 3, 4].map((v) => store.commitChanges('doc', v - 1, [change(v)])));
    expect(results).toEqual([2, 3, 4].map((version) => ({ ok: true, version })));
    expect(store.commitStats).toMatchObject({ transactions: 2, syncs: 3 });
  });

  it('serialises two connections to one file: exactly one commit per version', async () => {
    const a = await open();
    const b = await open();
    await a.createDocument(EMPTY_DOC);
    expect(await a.commitChanges('doc', 0, [change(1, 'from-a')])).toEqual({ ok: true, version: 1 });
    expect(await b.commitChanges('doc', 0, [change(1, 'from-b')])).toEqual({
      ok: false,
      reason: 'version-taken',
      currentVersion: 1,
    });
    expect(await b.commitChanges('doc', 1, [change(2, 'from-b')])).toEqual({ ok: true, version: 2 });
    expect((await a.getChanges('doc', 0)).map((c) => c.changeId)).toEqual(['from-a', 'from-b']);
  });

  it('runs migrations once: reopening applies nothing and keeps one row per migration', async () => {
    (await open()).close();
    const db = new Database(filename);
    try {
      expect(runSqliteMigrations(db)).toEqual([]);
      expect(runSqliteMigrations(db)).toEqual([]);
      const rows = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
      expect(rows).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version })));
    } finally {
      db.close();
    }
  });

  it('applies every migration to a fresh database, in order', () => {
    const db = new Database(':memory:');
    try {
      expect(runSqliteMigrations(db)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .all()
        .map((row) => (row as { name: string }).name);
      expect(tables).toEqual(['changes', 'documents', 'named_versions', 'schema_migrations', 'snapshots']);
    } finally {
      db.close();
    }
  });

  it('migrates an existing database to changeIds unique per author, keeping every change', async () => {
    const db = new Database(filename);
    runSqliteMigrations(
      db,
      SQLITE_MIGRATIONS.filter((m) => m.version === 1),
    );
    db.exec(`INSERT INTO documents (id, title, department, status, created_at, created_by, updated_at, version)
             VALUES ('doc', 'T', 'D', 'draft', 0, 'u-1', 0, 2);
             INSERT INTO snapshots VALUES ('doc', 0, '', 0);
             INSERT INTO changes VALUES ('doc', 1, 'x-1', 'u-1', 'U', '["a"]', 1), ('doc', 2, 'x-2', 'u-2', 'V', '[1,"b"]', 2);`);
    db.close();
    const store = createSqliteStore({ filename });
    await store.init();
    try {
      expect((await store.getChanges('doc', 0)).map((c) => [c.userId, c.changeId])).toEqual([
        ['u-1', 'x-1'],
        ['u-2', 'x-2'],
      ]);
      // Another author may now use x-1; its author's retry is still a duplicate.
      expect(await store.commitChanges('doc', 2, [{ ...change(3, 'x-1'), userId: 'u-2' }])).toEqual({
        ok: true,
        version: 3,
      });
      expect(await store.commitChanges('doc', 3, [{ ...change(4, 'x-1'), userId: 'u-1' }])).toMatchObject({
        ok: false,
        reason: 'duplicate-change',
      });
    } finally {
      await store.close();
    }
  });

  it('migration 3 gives the documents of an existing database an incarnation each, out of the trash', () => {
    const db = new Database(':memory:');
    try {
      runSqliteMigrations(db, SQLITE_MIGRATIONS.slice(0, 1));
      const insert = db.prepare(
        `INSERT INTO documents (id, title, department, status, created_at, created_by, updated_at)
         VALUES (?, 'T', '', 'draft', 1, 'u', 1)`,
      );
      insert.run('old-1');
      insert.run('old-2');
      expect(runSqliteMigrations(db)).toEqual([2, 3, 4]);
      const rows = db
        .prepare('SELECT id, incarnation, deleted_at FROM documents ORDER BY id')
        .all() as Array<{ id: string; incarnation: string; deleted_at: number | null }>;
      expect(rows.map((r) => r.deleted_at)).toEqual([null, null]);
      for (const row of rows) expect(row.incarnation).toMatch(/^[0-9a-f]{24}$/);
      expect(rows[0]!.incarnation).not.toBe(rows[1]!.incarnation);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer schema and leaves it untouched', async () => {
    (await open()).close();
    const db = new Database(filename);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      999,
      'future',
      0,
    );
    db.close();

    const store = createSqliteStore({ filename });
    const error = await store.init().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isStoreError(error, 'SCHEMA_TOO_NEW')).toBe(true);
    expect(String(error)).toContain('999');
    await expect(store.ping()).rejects.toThrow(/init/);
  });

  it('refuses calls before init()', async () => {
    const store = createSqliteStore({ filename });
    const error = await store.getDocument('doc').then(
      () => null,
      (e: unknown) => e,
    );
    expect(isStoreError(error, 'CLOSED')).toBe(true);
  });
});

/**
 * Commit records in the WAL file: each committed transaction ends with a frame whose header
 * holds the database size (non-zero), every other frame holds 0. Counting them observes the
 * transactions SQLite itself wrote, independently of the store's own counters. Valid until the
 * first checkpoint (1,000 pages by default; these tests stay far below).
 */
function walCommitRecords(filename: string): number {
  const wal = readFileSync(`${filename}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    // Frames left over from an earlier WAL generation carry other salts: the log ends there.
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

function changeOf(documentId: string, version: number, changeId: string): StoredChange {
  return { ...change(version, changeId), documentId };
}

describe('SqliteStore cross-document group commit', () => {
  let dir: string;
  let filename: string;
  let store: SqliteStore;
  const ids = Array.from({ length: 40 }, (_, i) => `doc-${i}`);

  async function settle<T>(promises: Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
    return Promise.allSettled(promises);
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jd-collab-group-'));
    filename = join(dir, 'docs.db');
    store = createSqliteStore({ filename, synchronous: 'full', busyTimeoutMs: 0 });
    await store.init();
    for (const id of ids) {
      await store.createDocument({
        id,
        title: id,
        department: 'd',
        content: '',
        createdBy: 'u',
        createdByName: 'U',
      });
    }
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits many documents issued in one tick in one transaction, then resolves them all', async () => {
    const stats = store.commitStats;
    const walCommits = walCommitRecords(filename);
    const results = await Promise.all(
      ids.map((id) => store.commitChanges(id, 0, [changeOf(id, 1, `${id}-a`), changeOf(id, 2, `${id}-b`)])),
    );
    expect(results).toEqual(ids.map(() => ({ ok: true, version: 2 })));
    expect(store.commitStats).toEqual({
      transactions: stats.transactions + 1,
      requests: stats.requests + ids.length,
      failedTransactions: 0,
      syncs: stats.syncs + 1,
    });
    expect(walCommitRecords(filename)).toBe(walCommits + 1);
    for (const id of ids) {
      expect((await store.getChanges(id, 0)).map((c) => c.changeId)).toEqual([`${id}-a`, `${id}-b`]);
      expect((await store.getDocument(id))?.version).toBe(2);
    }
    // The next tick is the next transaction.
    expect(await store.commitChanges('doc-0', 2, [changeOf('doc-0', 3, 'later')])).toEqual({
      ok: true,
      version: 3,
    });
    expect(store.commitStats.transactions).toBe(stats.transactions + 2);
    expect(walCommitRecords(filename)).toBe(walCommits + 2);
  });

  it('refuses or fails a request of a flush alone: the others of that transaction are stored', async () => {
    await store.commitChanges('doc-1', 0, [changeOf('doc-1', 1, 'first')]);
    // A real SQL failure in the middle of a request, after its first change was inserted.
    store.database.exec(`CREATE TEMP TRIGGER poison BEFORE INSERT ON main.changes
      WHEN NEW.change_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned change'); END`);
    const stats = store.commitStats;

    const [ok, taken, duplicate, missing, failed, okAfter] = await settle([
      store.commitChanges('doc-0', 0, [changeOf('doc-0', 1, 'a')]),
      store.commitChanges('doc-1', 0, [changeOf('doc-1', 1, 'b')]),
      store.commitChanges('doc-1', 1, [changeOf('doc-1', 2, 'c'), changeOf('doc-1', 3, 'first')]),
      store.commitChanges('nowhere', 0, [changeOf('nowhere', 1, 'd')]),
      store.commitChanges('doc-2', 0, [changeOf('doc-2', 1, 'kept-if-bug'), changeOf('doc-2', 2, 'poison')]),
      store.commitChanges('doc-3', 0, [changeOf('doc-3', 1, 'e')]),
    ]);
    expect(ok).toEqual({ status: 'fulfilled', value: { ok: true, version: 1 } });
    expect(taken).toEqual({
      status: 'fulfilled',
      value: { ok: false, reason: 'version-taken', currentVersion: 1 },
    });
    expect(duplicate).toMatchObject({
      status: 'fulfilled',
      value: { ok: false, reason: 'duplicate-change', existing: { changeId: 'first', version: 1 } },
    });
    expect(missing?.status === 'rejected' && isStoreError(missing.reason, 'DOCUMENT_NOT_FOUND')).toBe(true);
    expect(failed?.status === 'rejected' && String(failed.reason)).toContain('poisoned change');
    expect(okAfter).toEqual({ status: 'fulfilled', value: { ok: true, version: 1 } });
    expect(store.commitStats.transactions).toBe(stats.transactions + 1);

    // The failed request's first change, inserted before the failure, was rolled back with it.
    expect(await store.findChange('doc-2', 'u-1', 'kept-if-bug')).toBeNull();
    expect((await store.getDocument('doc-2'))?.version).toBe(0);
    expect((await store.getChanges('doc-1', 0)).map((c) => c.changeId)).toEqual(['first']);
    expect((await store.getChanges('doc-0', 0)).map((c) => c.changeId)).toEqual(['a']);
    expect((await store.getChanges('doc-3', 0)).map((c) => c.changeId)).toEqual(['e']);
  });

  it('rejects every request of a flush whose COMMIT fails, and stores none of them', async () => {
    // A deferred foreign key is checked at COMMIT: the poisoned request's savepoint succeeds and
    // the outer COMMIT fails, the way a failing disk would make it fail.
    store.database.exec(`
      CREATE TEMP TABLE guard_parent (id TEXT PRIMARY KEY);
      CREATE TEMP TABLE guard_child (parent TEXT REFERENCES guard_parent (id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TEMP TRIGGER poison AFTER INSERT ON main.changes
        WHEN NEW.change_id = 'poison' BEGIN INSERT INTO guard_child VALUES ('nobody'); END`);
    const stats = store.commitStats;
    const walCommits = walCommitRecords(filename);

    const results = await settle([
      store.commitChanges('doc-0', 0, [changeOf('doc-0', 1, 'a')]),
      store.commitChanges('doc-1', 0, [changeOf('doc-1', 1, 'poison')]),
      store.commitChanges('doc-2', 0, [changeOf('doc-2', 1, 'b')]),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(result.status === 'rejected' && String(result.reason)).toMatch(/FOREIGN KEY/i);
    }
    expect(store.commitStats).toEqual({ ...stats, failedTransactions: stats.failedTransactions + 1 });
    expect(walCommitRecords(filename)).toBe(walCommits);
    for (const id of ['doc-0', 'doc-1', 'doc-2']) {
      expect(await store.getChanges(id, 0)).toEqual([]);
      expect((await store.getDocument(id))?.version).toBe(0);
    }

    // The store is usable afterwards: the same changes commit once the cause is gone.
    store.database.exec('DROP TRIGGER temp.poison');
    expect(await store.commitChanges('doc-0', 0, [changeOf('doc-0', 1, 'a')])).toEqual({
      ok: true,
      version: 1,
    });
  });

  it('rejects every request of a flush that cannot take the write lock, and stores none of them', async () => {
    const other = new Database(filename);
    try {
      other.exec('BEGIN IMMEDIATE'); // another process holds the write lock (busyTimeoutMs: 0)
      const results = await settle(
        ids.slice(0, 3).map((id) => store.commitChanges(id, 0, [changeOf(id, 1, `${id}-x`)])),
      );
      for (const result of results) {
        expect(result.status === 'rejected' && String(result.reason)).toMatch(/locked|busy/i);
      }
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    for (const id of ids.slice(0, 3)) expect(await store.getChanges(id, 0)).toEqual([]);
    expect(await store.commitChanges('doc-0', 0, [changeOf('doc-0', 1, 'doc-0-x')])).toEqual({
      ok: true,
      version: 1,
    });
  });

  it('keeps issue order between a queued commit and a later write, and between a commit and a read', async () => {
    const commit = store.commitChanges('doc-0', 0, [changeOf('doc-0', 1, 'a')]);
    // Issued after the commit, before it resolved: the snapshot at version 1 must find it stored.
    await store.saveSnapshot({ documentId: 'doc-0', version: 1, content: 'x', createdAt: 1 });
    expect(await commit).toEqual({ ok: true, version: 1 });
    expect((await store.getChanges('doc-0', 0)).map((c) => c.changeId)).toEqual(['a']);

    // A queued commit and a delete of its document: the commit goes first, then the delete.
    const doomed = store.commitChanges('doc-1', 0, [changeOf('doc-1', 1, 'b')]);
    expect(await store.deleteDocument('doc-1')).toBe(true);
    expect(await doomed).toEqual({ ok: true, version: 1 });
    expect(await store.getDocument('doc-1')).toBeNull();
  });

  it('stores the changes as they were when commitChanges was called', async () => {
    const changes = [changeOf('doc-0', 1, 'a')];
    const commit = store.commitChanges('doc-0', 0, changes);
    changes[0]!.op.push('mutated');
    changes[0]!.changeId = 'mutated';
    await commit;
    expect(await store.getChanges('doc-0', 0)).toEqual([changeOf('doc-0', 1, 'a')]);
  });

  it('stores and settles queued commits on close()', async () => {
    const commit = store.commitChanges('doc-0', 0, [changeOf('doc-0', 1, 'a')]);
    await store.close();
    expect(await commit).toEqual({ ok: true, version: 1 });
    const reopened = createSqliteStore({ filename });
    await reopened.init();
    try {
      expect((await reopened.getChanges('doc-0', 0)).map((c) => c.changeId)).toEqual(['a']);
    } finally {
      await reopened.close();
    }
  });
});
