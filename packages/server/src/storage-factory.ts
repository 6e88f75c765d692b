/**
 * Picks and creates the storage backend from the configuration. Today: SQLite in DATA_DIR.
 * This is the one place to add PostgreSQL (e.g. when DATABASE_URL is set).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import { createSqliteStore } from './storage/index.js';
import type { DocumentStore } from './storage/types.js';

export const SQLITE_FILENAME = 'jd-collab.db';

/** A store ready to `init()`. */
export function createStore(config: Pick<Config, 'dataDir' | 'sqliteSynchronous'>): DocumentStore {
  mkdirSync(config.dataDir, { recursive: true });
  return createSqliteStore({
    filename: join(config.dataDir, SQLITE_FILENAME),
    synchronous: config.sqliteSynchronous,
  });
}
