/**
 * The trash on SQLite: its statements and transactions, kept apart from the document and change
 * statements (sqlite-statements.ts) because they only touch the lifecycle columns.
 */
import type Database from 'better-sqlite3';
import { DOCUMENT_COLUMNS, type DocumentRow, toMeta } from './rows.js';
import type { Statements } from './sqlite-statements.js';
import type { DocumentMeta, TrashRequest } from './types.js';

export interface SqliteTrash {
  find(id: string): DocumentMeta | null;
  trash(id: string, request: TrashRequest): DocumentMeta | null;
  restore(id: string): DocumentMeta | null;
  list(): DocumentMeta[];
  purge(deletedBefore: number): string[];
}

export function prepareTrash(db: Database.Database, s: Statements): SqliteTrash {
  const find = db.prepare<[string], DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = ?`);
  const markDeleted = db.prepare<[number, string, string, string]>(
    `UPDATE documents SET deleted_at = ?, deleted_by = ?, deleted_by_name = ?
     WHERE id = ? AND deleted_at IS NULL`,
  );
  const clearDeleted = db.prepare<[string]>(
    `UPDATE documents SET deleted_at = NULL, deleted_by = NULL, deleted_by_name = NULL
     WHERE id = ? AND deleted_at IS NOT NULL`,
  );
  const list = db.prepare<[], DocumentRow>(
    `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE deleted_at IS NOT NULL
     ORDER BY deleted_at DESC, id ASC`,
  );
  const expired = db.prepare<[number], { id: string }>(
    'SELECT id FROM documents WHERE deleted_at IS NOT NULL AND deleted_at < ?',
  );

  const read = (id: string): DocumentMeta | null => {
    const row = find.get(id);
    return row ? toMeta(row) : null;
  };
  const trash = db.transaction((id: string, request: TrashRequest): DocumentMeta | null => {
    const at = request.deletedAt ?? Date.now();
    if (markDeleted.run(at, request.deletedBy, request.deletedByName, id).changes === 0) return null;
    return read(id);
  });
  const restore = db.transaction((id: string): DocumentMeta | null =>
    clearDeleted.run(id).changes === 0 ? null : read(id),
  );
  const purge = db.transaction((deletedBefore: number): string[] => {
    const ids = expired.all(deletedBefore).map((row) => row.id);
    // The same explicit deletes as a permanent delete (no reliance on ON DELETE CASCADE alone).
    for (const id of ids) {
      s.deleteChanges.run(id);
      s.deleteSnapshots.run(id);
      s.deleteNamedVersions.run(id);
      s.deleteDocument.run(id);
    }
    return ids;
  });

  return {
    find: read,
    trash: (id, request) => trash.immediate(id, request),
    restore: (id) => restore.immediate(id),
    list: () => list.all().map(toMeta),
    purge: (deletedBefore) => purge.immediate(deletedBefore),
  };
}
