export { createMemoryStore, MemoryStore } from './memory-store.js';
export { POSTGRES_MIGRATIONS, runPostgresMigrations } from './postgres-migrations.js';
export { createPostgresStore, PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { runSqliteMigrations, SQLITE_MIGRATIONS, type SqliteMigration } from './sqlite-migrations.js';
export { createSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { isStoreError, StoreError, type StoreErrorCode } from './store-errors.js';
export type {
  CommitResult,
  DocumentMeta,
  DocumentMetaPatch,
  DocumentStatus,
  DocumentStore,
  NamedVersion,
  NewDocument,
  Snapshot,
  StoredChange,
} from './types.js';
