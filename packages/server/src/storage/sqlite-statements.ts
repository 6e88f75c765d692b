/**
 * The SQL side of the SQLite store: every statement, prepared once per connection (row shapes
 * and their mapping are shared with PostgreSQL in rows.ts).
 */
import type Database from 'better-sqlite3';
import {
  CHANGE_COLUMNS,
  type ChangeRow,
  DOCUMENT_COLUMNS,
  type DocumentRow,
  type NamedVersionRow,
  type SnapshotRow,
} from './rows.js';

/** Every statement the store runs, prepared once per connection. */
export interface Statements {
  ping: Database.Statement<[], { ok: number }>;
  insertDocument: Database.Statement<[DocumentRow]>;
  getDocument: Database.Statement<[string], DocumentRow>;
  getVersion: Database.Statement<[string], { version: number }>;
  listDocuments: Database.Statement<[], DocumentRow>;
  updateDocument: Database.Statement<[DocumentRow]>;
  bumpVersion: Database.Statement<[number, number, string, string, string]>;
  deleteDocument: Database.Statement<[string]>;
  deleteChanges: Database.Statement<[string]>;
  deleteSnapshots: Database.Statement<[string]>;
  deleteNamedVersions: Database.Statement<[string]>;
  insertChange: Database.Statement<[string, number, string, string, string, string, number]>;
  getChanges: Database.Statement<[string, number, number], ChangeRow>;
  findChange: Database.Statement<[string, string, string], ChangeRow>;
  saveSnapshot: Database.Statement<[string, number, string, number]>;
  getSnapshot: Database.Statement<[string, number], SnapshotRow>;
  hasSnapshotAt: Database.Statement<[string, number], { ok: number }>;
  lastVersionBefore: Database.Statement<[string, number], { version: number | null }>;
  deleteChangesThrough: Database.Statement<[string, number]>;
  deleteSnapshotsBefore: Database.Statement<[string, number, string]>;
  insertNamedVersion: Database.Statement<[NamedVersionRow]>;
  listNamedVersions: Database.Statement<[string], NamedVersionRow>;
}

export function prepareStatements(db: Database.Database): Statements {
  return {
    ping: db.prepare<[], { ok: number }>('SELECT 1 AS ok'),
    insertDocument: db.prepare<[DocumentRow]>(
      `INSERT INTO documents (${DOCUMENT_COLUMNS})
       VALUES (@id, @title, @department, @status, @created_at, @created_by, @updated_at, @updated_by,
               @updated_by_name, @version, @incarnation, @posting, @deleted_at, @deleted_by, @deleted_by_name)
       ON CONFLICT (id) DO NOTHING`,
    ),
    // Documents in the trash are left out here and in listDocuments (sqlite-trash.ts reads them).
    getDocument: db.prepare<[string], DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = ? AND deleted_at IS NULL`,
    ),
    getVersion: db.prepare<[string], { version: number }>('SELECT version FROM documents WHERE id = ?'),
    listDocuments: db.prepare<[], DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE deleted_at IS NULL ORDER BY updated_at DESC, id ASC`,
    ),
    updateDocument: db.prepare<[DocumentRow]>(
      `UPDATE documents SET title = @title, department = @department, status = @status, posting = @posting,
         updated_at = @updated_at, updated_by = @updated_by, updated_by_name = @updated_by_name
       WHERE id = @id`,
    ),
    bumpVersion: db.prepare<[number, number, string, string, string]>(
      `UPDATE documents SET version = ?, updated_at = ?, updated_by = ?, updated_by_name = ? WHERE id = ?`,
    ),
    deleteDocument: db.prepare<[string]>('DELETE FROM documents WHERE id = ?'),
    deleteChanges: db.prepare<[string]>('DELETE FROM changes WHERE document_id = ?'),
    deleteSnapshots: db.prepare<[string]>('DELETE FROM snapshots WHERE document_id = ?'),
    deleteNamedVersions: db.prepare<[string]>('DELETE FROM named_versions WHERE document_id = ?'),
    insertChange: db.prepare<[string, number, string, string, string, string, number]>(
      `INSERT INTO changes (${CHANGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    getChanges: db.prepare<[string, number, number], ChangeRow>(
      `SELECT ${CHANGE_COLUMNS} FROM changes
       WHERE document_id = ? AND version > ? AND version <= ? ORDER BY version ASC`,
    ),
    findChange: db.prepare<[string, string, string], ChangeRow>(
      `SELECT ${CHANGE_COLUMNS} FROM changes WHERE document_id = ? AND user_id = ? AND change_id = ?`,
    ),
    saveSnapshot: db.prepare<[string, number, string, number]>(
      `INSERT INTO snapshots (document_id, version, content, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (document_id, version) DO UPDATE SET content = excluded.content, created_at = excluded.created_at`,
    ),
    getSnapshot: db.prepare<[string, number], SnapshotRow>(
      `SELECT document_id, version, content, created_at FROM snapshots
       WHERE document_id = ? AND version <= ? ORDER BY version DESC LIMIT 1`,
    ),
    hasSnapshotAt: db.prepare<[string, number], { ok: number }>(
      'SELECT 1 AS ok FROM snapshots WHERE document_id = ? AND version = ?',
    ),
    lastVersionBefore: db.prepare<[string, number], { version: number | null }>(
      'SELECT MAX(version) AS version FROM changes WHERE document_id = ? AND created_at < ?',
    ),
    deleteChangesThrough: db.prepare<[string, number]>(
      'DELETE FROM changes WHERE document_id = ? AND version <= ?',
    ),
    deleteSnapshotsBefore: db.prepare<[string, number, string]>(
      `DELETE FROM snapshots WHERE document_id = ? AND version < ?
         AND version NOT IN (SELECT version FROM named_versions WHERE document_id = ?)`,
    ),
    insertNamedVersion: db.prepare<[NamedVersionRow]>(
      `INSERT INTO named_versions (id, document_id, name, version, created_by, created_by_name, created_at)
       VALUES (@id, @document_id, @name, @version, @created_by, @created_by_name, @created_at)
       ON CONFLICT (id) DO NOTHING`,
    ),
    listNamedVersions: db.prepare<[string], NamedVersionRow>(
      `SELECT id, document_id, name, version, created_by, created_by_name, created_at FROM named_versions
       WHERE document_id = ? ORDER BY version ASC, created_at ASC, id ASC`,
    ),
  };
}
