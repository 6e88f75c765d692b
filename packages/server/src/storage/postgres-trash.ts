/**
 * The trash on PostgreSQL. Each operation is one statement, so atomic on its own; the permanent
 * delete of a purge takes the document's changes, snapshots and named versions with it through
 * ON DELETE CASCADE (always enforced by PostgreSQL).
 */
import type pg from 'pg';
import { DOCUMENT_COLUMNS, type DocumentRow, toMeta } from './rows.js';
import type { DocumentMeta, TrashRequest } from './types.js';

export class PostgresTrash {
  constructor(
    private readonly pool: pg.Pool,
    /** The quoted, schema-qualified documents table. */
    private readonly documents: string,
  ) {}

  async find(id: string): Promise<DocumentMeta | null> {
    const { rows } = await this.pool.query<DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM ${this.documents} WHERE id = $1`,
      [id],
    );
    return rows[0] ? toMeta(rows[0]) : null;
  }

  async trash(id: string, request: TrashRequest): Promise<DocumentMeta | null> {
    const { rows } = await this.pool.query<DocumentRow>(
      `UPDATE ${this.documents} SET deleted_at = $2, deleted_by = $3, deleted_by_name = $4
       WHERE id = $1 AND deleted_at IS NULL
       RETURNING ${DOCUMENT_COLUMNS}`,
      [id, request.deletedAt ?? Date.now(), request.deletedBy, request.deletedByName],
    );
    return rows[0] ? toMeta(rows[0]) : null;
  }

  async restore(id: string): Promise<DocumentMeta | null> {
    const { rows } = await this.pool.query<DocumentRow>(
      `UPDATE ${this.documents} SET deleted_at = NULL, deleted_by = NULL, deleted_by_name = NULL
       WHERE id = $1 AND deleted_at IS NOT NULL
       RETURNING ${DOCUMENT_COLUMNS}`,
      [id],
    );
    return rows[0] ? toMeta(rows[0]) : null;
  }

  async list(): Promise<DocumentMeta[]> {
    const { rows } = await this.pool.query<DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM ${this.documents} WHERE deleted_at IS NOT NULL
       ORDER BY deleted_at DESC, id COLLATE "C" ASC`,
    );
    return rows.map(toMeta);
  }

  async purge(deletedBefore: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `DELETE FROM ${this.documents} WHERE deleted_at IS NOT NULL AND deleted_at < $1 RETURNING id`,
      [deletedBefore],
    );
    return rows.map((row) => row.id).sort();
  }
}
