/**
 * Picks and creates the storage backend from the configuration: PostgreSQL when DATABASE_URL is
 * set (several nodes share it), otherwise SQLite in DATA_DIR (one node, nothing to run).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import { createPostgresStore, createSqliteStore } from './storage/index.js';
import type { DocumentStore } from './storage/types.js';

export const SQLITE_FILENAME = 'jd-collab.db';

export type StoreConfig = Pick<Config, 'dataDir' | 'sqliteSynchronous'> &
  Partial<Pick<Config, 'databaseUrl' | 'databaseSchema'>>;

/**
 * A store ready to `init()`. `onError` receives errors of idle PostgreSQL connections (the pool
 * replaces them by itself; they are worth a log line, not a crash).
 */
export function createStore(config: StoreConfig, onError?: (error: Error) => void): DocumentStore {
  if (config.databaseUrl) {
    return createPostgresStore({
      connectionString: config.databaseUrl,
      schema: config.databaseSchema ?? 'public',
      ...(onError ? { onError } : {}),
    });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return createSqliteStore({
    filename: join(config.dataDir, SQLITE_FILENAME),
    synchronous: config.sqliteSynchronous,
  });
}
