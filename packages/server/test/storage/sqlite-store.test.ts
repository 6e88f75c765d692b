import { mkdtempSync, rmSync } from 'node:fs';
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
    const strict = await open({ synchronous: 'full' });
    expect(strict.database.pragma('synchronous', { simple: true })).toBe(2); // FULL
  });

  it('serialises two connections to one file: exactly one commit per version', async () => {
    const a = await open();
    const b = await open();
    await a.createDocument({
      id: 'doc',
      title: 't',
      department: 'd',
      content: '',
      createdBy: 'u',
      createdByName: 'U',
    });
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
