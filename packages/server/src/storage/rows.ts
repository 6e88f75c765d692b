/**
 * The row shapes of the SQL stores (SQLite and PostgreSQL share one schema), their column lists,
 * and their mapping to the storage types. Times and versions are numbers on both: SQLite returns
 * integers, and the PostgreSQL store's pool parses int8 into checked numbers.
 */
import type { Op } from '@jd-collab/ot';
import type { Posting } from '@jd-collab/protocol';
import type { DocumentMeta, DocumentStatus, NamedVersion, Snapshot, StoredChange } from './types.js';

export interface DocumentRow {
  id: string;
  title: string;
  department: string;
  status: DocumentStatus;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string | null;
  updated_by_name: string | null;
  version: number;
  incarnation: string;
  /** JSON of the posting fields. */
  posting: string;
  deleted_at: number | null;
  deleted_by: string | null;
  deleted_by_name: string | null;
}

export interface ChangeRow {
  document_id: string;
  version: number;
  change_id: string;
  user_id: string;
  user_name: string;
  op: string;
  created_at: number;
}

export interface SnapshotRow {
  document_id: string;
  version: number;
  content: string;
  created_at: number;
}

export interface NamedVersionRow {
  id: string;
  document_id: string;
  name: string;
  version: number;
  created_by: string;
  created_by_name: string;
  created_at: number;
}

export const DOCUMENT_COLUMNS =
  'id, title, department, status, created_at, created_by, updated_at, updated_by, updated_by_name, version, ' +
  'incarnation, posting, deleted_at, deleted_by, deleted_by_name';
export const CHANGE_COLUMNS = 'document_id, version, change_id, user_id, user_name, op, created_at';
export const SNAPSHOT_COLUMNS = 'document_id, version, content, created_at';
export const NAMED_VERSION_COLUMNS =
  'id, document_id, name, version, created_by, created_by_name, created_at';

export function toMeta(row: DocumentRow): DocumentMeta {
  return {
    id: row.id,
    title: row.title,
    department: row.department,
    status: row.status,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    updatedByName: row.updated_by_name,
    version: row.version,
    incarnation: row.incarnation,
    posting: JSON.parse(row.posting) as Posting,
    deletedAt: row.deleted_at,
    deletedBy: row.deleted_by,
    deletedByName: row.deleted_by_name,
  };
}

export function toChange(row: ChangeRow): StoredChange {
  return {
    documentId: row.document_id,
    version: row.version,
    changeId: row.change_id,
    userId: row.user_id,
    userName: row.user_name,
    op: JSON.parse(row.op) as Op,
    createdAt: row.created_at,
  };
}

export function toSnapshot(row: SnapshotRow): Snapshot {
  return {
    documentId: row.document_id,
    version: row.version,
    content: row.content,
    createdAt: row.created_at,
  };
}

export function toNamedVersion(row: NamedVersionRow): NamedVersion {
  return {
    id: row.id,
    documentId: row.document_id,
    name: row.name,
    version: row.version,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at,
  };
}
