/**
 * PostgreSQL schema, as an append-only list of numbered migrations (the same discipline as
 * sqlite-migrations.ts: never edit a migration that has shipped, add the next one).
 *
 * Every table lives in one configurable schema, so several deployments (or test runs) can share
 * a database. `{schema}` in a migration's SQL is replaced by the quoted schema name.
 *
 * Several nodes may start at once against a fresh database: runPostgresMigrations takes a
 * transaction-scoped advisory lock first, so exactly one of them creates the tables while the
 * others wait and then find nothing left to do. PostgreSQL DDL is transactional, so a migration
 * that fails half-way leaves nothing behind.
 */
import type { PoolClient } from 'pg';
import { StoreError } from './store-errors.js';

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'documents, changes, snapshots, named versions',
    // Timestamps are bigint ms since epoch (as the storage types carry them). Ops are text holding
    // the exact JSON the store was given: jsonb would re-encode it (key order, number spelling).
    sql: `
      CREATE TABLE {schema}.documents (
        id              text PRIMARY KEY,
        title           text NOT NULL,
        department      text NOT NULL,
        status          text NOT NULL CHECK (status IN ('draft', 'review', 'published')),
        created_at      bigint NOT NULL,
        created_by      text NOT NULL,
        updated_at      bigint NOT NULL,
        updated_by      text,
        updated_by_name text,
        version         bigint NOT NULL DEFAULT 0
      );
      CREATE INDEX documents_by_update ON {schema}.documents (updated_at DESC, id COLLATE "C");

      -- (document_id, version) serialises writers: two changes can never share a version.
      -- (document_id, change_id) recognises a retried change, even after a restart.
      CREATE TABLE {schema}.changes (
        document_id text NOT NULL REFERENCES {schema}.documents (id) ON DELETE CASCADE,
        version     bigint NOT NULL,
        change_id   text NOT NULL,
        user_id     text NOT NULL,
        user_name   text NOT NULL,
        op          text NOT NULL,
        created_at  bigint NOT NULL,
        PRIMARY KEY (document_id, version),
        UNIQUE (document_id, change_id)
      );

      CREATE TABLE {schema}.snapshots (
        document_id text NOT NULL REFERENCES {schema}.documents (id) ON DELETE CASCADE,
        version     bigint NOT NULL,
        content     text NOT NULL,
        created_at  bigint NOT NULL,
        PRIMARY KEY (document_id, version)
      );

      CREATE TABLE {schema}.named_versions (
        id              text PRIMARY KEY,
        document_id     text NOT NULL REFERENCES {schema}.documents (id) ON DELETE CASCADE,
        name            text NOT NULL,
        version         bigint NOT NULL,
        created_by      text NOT NULL,
        created_by_name text NOT NULL,
        created_at      bigint NOT NULL
      );
      CREATE INDEX named_versions_by_document
        ON {schema}.named_versions (document_id, version, created_at, id COLLATE "C");
    `,
  },
  {
    version: 2,
    name: 'changeIds unique per author',
    // See storage/types.ts: a per-document key let a co-editor pre-empt another user's changeId.
    sql: `
      ALTER TABLE {schema}.changes DROP CONSTRAINT IF EXISTS changes_document_id_change_id_key;
      ALTER TABLE {schema}.changes
        ADD CONSTRAINT changes_document_id_user_id_change_id_key UNIQUE (document_id, user_id, change_id);
    `,
  },
  {
    version: 3,
    name: 'document incarnations and the trash',
    // Existing documents get a random incarnation each (hex, like the ones new documents get).
    sql: `
      ALTER TABLE {schema}.documents ADD COLUMN incarnation text NOT NULL DEFAULT '';
      UPDATE {schema}.documents SET incarnation = substr(md5(random()::text || id), 1, 24)
        WHERE incarnation = '';
      ALTER TABLE {schema}.documents ADD COLUMN deleted_at bigint;
      ALTER TABLE {schema}.documents ADD COLUMN deleted_by text;
      ALTER TABLE {schema}.documents ADD COLUMN deleted_by_name text;
      CREATE INDEX documents_in_trash ON {schema}.documents (deleted_at) WHERE deleted_at IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'posting fields',
    // JSON text of the structured posting fields (as the store was given them); {} until set.
    sql: `ALTER TABLE {schema}.documents ADD COLUMN posting text NOT NULL DEFAULT '{}';`,
  },
];

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Schema names are interpolated into SQL (identifiers cannot be bound as parameters), so only
 * plain lower-case identifiers are accepted.
 */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError(
      'INVALID_ARGUMENT',
      `PostgreSQL schema must match ${SCHEMA_NAME.source} (lower-case letters, digits, _), got "${schema}"`,
    );
  }
}

/**
 * Creates the schema if needed and applies the migrations it has not had yet, in one
 * transaction under an advisory lock. Returns the versions applied ([] when already current).
 * Refuses (SCHEMA_TOO_NEW) a schema written by a newer build.
 */
export async function runPostgresMigrations(
  client: PoolClient,
  schema: string,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
  now: () => number = Date.now,
): Promise<number[]> {
  assertSchemaName(schema);
  const quoted = `"${schema}"`;
  await client.query('BEGIN');
  try {
    // A migration may rewrite a big table: the pool's statement timeout does not apply to it.
    await client.query('SET LOCAL statement_timeout = 0');
    // Scoped to the schema: two deployments in one database do not wait for each other.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`jd-collab:migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const result = await client.query<{ current: number | null }>(
      `SELECT MAX(version) AS current FROM ${quoted}.schema_migrations`,
    );
    const current = result.rows[0]?.current ?? 0;
    const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
    if (current > latest) {
      throw new StoreError(
        'SCHEMA_TOO_NEW',
        `schema ${schema} is at version ${current}, this build knows up to ${latest}: upgrade the server`,
      );
    }
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      await client.query(migration.sql.replaceAll('{schema}', quoted));
      await client.query(
        `INSERT INTO ${quoted}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
        [migration.version, migration.name, now()],
      );
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
