/**
 * SQLite schema, as an append-only list of numbered migrations. Never edit a migration that has
 * shipped: add the next one. schema_migrations records what a database file has had applied, so
 * running the list again is a no-op and a file written by a newer build is refused.
 */
import type { Database } from 'better-sqlite3';
import { StoreError } from './store-errors.js';

export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'documents, changes, snapshots, named versions',
    sql: `
      CREATE TABLE documents (
        id              TEXT PRIMARY KEY,
        title           TEXT NOT NULL,
        department      TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('draft', 'review', 'published')),
        created_at      INTEGER NOT NULL,
        created_by      TEXT NOT NULL,
        updated_at      INTEGER NOT NULL,
        updated_by      TEXT,
        updated_by_name TEXT,
        version         INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      -- (document_id, version) serialises writers; (document_id, change_id) recognises retries.
      CREATE TABLE changes (
        document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        version     INTEGER NOT NULL,
        change_id   TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        user_name   TEXT NOT NULL,
        op          TEXT NOT NULL, -- JSON
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (document_id, version),
        UNIQUE (document_id, change_id)
      ) STRICT;

      CREATE TABLE snapshots (
        document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        version     INTEGER NOT NULL,
        content     TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (document_id, version)
      ) STRICT;

      CREATE TABLE named_versions (
        id              TEXT PRIMARY KEY,
        document_id     TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        name            TEXT NOT NULL,
        version         INTEGER NOT NULL,
        created_by      TEXT NOT NULL,
        created_by_name TEXT NOT NULL,
        created_at      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX named_versions_by_document ON named_versions (document_id, version, created_at, id);
    `,
  },
  {
    version: 2,
    name: 'changeIds unique per author',
    // A unique constraint cannot be altered in SQLite: the table is rebuilt (same columns, same
    // rows) with the key (document_id, user_id, change_id). See storage/types.ts for why.
    sql: `
      CREATE TABLE changes_by_author (
        document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        version     INTEGER NOT NULL,
        change_id   TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        user_name   TEXT NOT NULL,
        op          TEXT NOT NULL, -- JSON
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (document_id, version),
        UNIQUE (document_id, user_id, change_id)
      ) STRICT;
      INSERT INTO changes_by_author (document_id, version, change_id, user_id, user_name, op, created_at)
        SELECT document_id, version, change_id, user_id, user_name, op, created_at FROM changes;
      DROP TABLE changes;
      ALTER TABLE changes_by_author RENAME TO changes;
    `,
  },
  {
    version: 3,
    name: 'document incarnations and the trash',
    // Existing documents get a random incarnation each (12 random bytes in hex, like new ones).
    sql: `
      ALTER TABLE documents ADD COLUMN incarnation TEXT NOT NULL DEFAULT '';
      UPDATE documents SET incarnation = lower(hex(randomblob(12))) WHERE incarnation = '';
      ALTER TABLE documents ADD COLUMN deleted_at INTEGER;
      ALTER TABLE documents ADD COLUMN deleted_by TEXT;
      ALTER TABLE documents ADD COLUMN deleted_by_name TEXT;
      CREATE INDEX documents_in_trash ON documents (deleted_at) WHERE deleted_at IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'posting fields',
    // JSON of the structured posting fields (protocol posting.ts); {} until someone sets one.
    sql: `ALTER TABLE documents ADD COLUMN posting TEXT NOT NULL DEFAULT '{}';`,
  },
];

/**
 * Applies the migrations this database has not had yet, all in one IMMEDIATE transaction (so
 * two processes opening a fresh file at once cannot both create the tables). Returns the
 * versions it applied; [] when the schema was already current.
 */
export function runSqliteMigrations(
  db: Database,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
  now: () => number = Date.now,
): number[] {
  const migrate = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    const row = db.prepare('SELECT MAX(version) AS current FROM schema_migrations').get() as {
      current: number | null;
    };
    const current = row.current ?? 0;
    const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
    if (current > latest) {
      throw new StoreError(
        'SCHEMA_TOO_NEW',
        `database schema is at version ${current}, this build knows up to ${latest}: upgrade the server`,
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now());
      applied.push(migration.version);
    }
    return applied;
  });
  return migrate.immediate();
}
