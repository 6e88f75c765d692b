/**
 * DocumentStore in memory: same semantics as the SQLite store, nothing persisted. For tests,
 * benchmarks and development. Every method body is synchronous, so each one is atomic.
 *
 * Ops are kept as JSON text, like the SQL backends keep them, so what comes back is exactly what
 * a database would return (and no caller can reach into the store through a shared reference).
 */
import type { Op } from '@jd-collab/ot';
import { applyPostingPatch } from '@jd-collab/protocol';
import { checkTrashRequest, newIncarnation } from './lifecycle.js';
import { StoreError } from './store-errors.js';
import type {
  CommitResult,
  DocumentMeta,
  DocumentMetaPatch,
  DocumentStore,
  NamedVersion,
  NewDocument,
  Snapshot,
  StoredChange,
  TrashRequest,
} from './types.js';
import {
  assertBound,
  authorKey,
  checkCommitBatch,
  checkMetaPatch,
  checkNamedVersion,
  checkNewDocument,
  checkSnapshot,
} from './validate.js';

type ChangeRecord = Omit<StoredChange, 'op'> & { opJson: string };

interface DocumentRecord {
  meta: DocumentMeta;
  /** changes[i] has version i + 1: a document's history starts at version 0. */
  changes: ChangeRecord[];
  /** Changes up to this version were compacted away (deleteChangesThrough): never returned. */
  compactedThrough: number;
  byChangeId: Map<string, ChangeRecord>;
  /** Kept sorted by version. */
  snapshots: Snapshot[];
  namedVersions: NamedVersion[];
}

function toChange(record: ChangeRecord): StoredChange {
  const { opJson, ...rest } = record;
  return { ...rest, op: JSON.parse(opJson) as Op };
}

function compareNamedVersions(a: NamedVersion, b: NamedVersion): number {
  return a.version - b.version || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class MemoryStore implements DocumentStore {
  readonly kind = 'memory';
  readonly #documents = new Map<string, DocumentRecord>();
  /** Named version ids are unique across documents, as in SQL. */
  readonly #namedVersionIds = new Set<string>();
  #closed = false;

  async init(): Promise<void> {
    this.#assertOpen();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async ping(): Promise<void> {
    this.#assertOpen();
  }

  async createDocument(doc: NewDocument): Promise<boolean> {
    this.#assertOpen();
    checkNewDocument(doc);
    if (this.#documents.has(doc.id)) return false;
    const createdAt = doc.createdAt ?? Date.now();
    this.#documents.set(doc.id, {
      meta: {
        id: doc.id,
        title: doc.title,
        department: doc.department,
        status: doc.status ?? 'draft',
        createdAt,
        createdBy: doc.createdBy,
        updatedAt: createdAt,
        updatedBy: doc.createdBy,
        updatedByName: doc.createdByName,
        version: 0,
        incarnation: newIncarnation(),
        posting: {},
        deletedAt: null,
        deletedBy: null,
        deletedByName: null,
      },
      changes: [],
      compactedThrough: 0,
      byChangeId: new Map(),
      snapshots: [{ documentId: doc.id, version: 0, content: doc.content, createdAt }],
      namedVersions: [],
    });
    return true;
  }

  async getDocument(id: string): Promise<DocumentMeta | null> {
    this.#assertOpen();
    const record = this.#documents.get(id);
    return record && record.meta.deletedAt === null ? { ...record.meta } : null;
  }

  async listDocuments(): Promise<DocumentMeta[]> {
    this.#assertOpen();
    return [...this.#documents.values()]
      .filter((record) => record.meta.deletedAt === null)
      .map((record) => ({ ...record.meta }))
      .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async updateDocument(id: string, patch: DocumentMetaPatch): Promise<DocumentMeta | null> {
    this.#assertOpen();
    checkMetaPatch(patch);
    const record = this.#documents.get(id);
    if (!record || record.meta.deletedAt !== null) return null;
    const meta = record.meta;
    record.meta = {
      ...meta,
      title: patch.title ?? meta.title,
      department: patch.department ?? meta.department,
      status: patch.status ?? meta.status,
      posting: patch.posting === undefined ? meta.posting : applyPostingPatch(meta.posting, patch.posting),
      updatedAt: patch.updatedAt ?? Date.now(),
      updatedBy: patch.updatedBy,
      updatedByName: patch.updatedByName,
    };
    return { ...record.meta };
  }

  async deleteDocument(id: string): Promise<boolean> {
    this.#assertOpen();
    const record = this.#documents.get(id);
    if (!record) return false;
    for (const named of record.namedVersions) this.#namedVersionIds.delete(named.id);
    this.#documents.delete(id);
    return true;
  }

  async findDocument(id: string): Promise<DocumentMeta | null> {
    this.#assertOpen();
    const record = this.#documents.get(id);
    return record ? { ...record.meta } : null;
  }

  async trashDocument(id: string, request: TrashRequest): Promise<DocumentMeta | null> {
    this.#assertOpen();
    checkTrashRequest(request);
    const record = this.#documents.get(id);
    if (!record || record.meta.deletedAt !== null) return null;
    record.meta = {
      ...record.meta,
      deletedAt: request.deletedAt ?? Date.now(),
      deletedBy: request.deletedBy,
      deletedByName: request.deletedByName,
    };
    return { ...record.meta };
  }

  async restoreDocument(id: string): Promise<DocumentMeta | null> {
    this.#assertOpen();
    const record = this.#documents.get(id);
    if (!record || record.meta.deletedAt === null) return null;
    record.meta = { ...record.meta, deletedAt: null, deletedBy: null, deletedByName: null };
    return { ...record.meta };
  }

  async listTrash(): Promise<DocumentMeta[]> {
    this.#assertOpen();
    return [...this.#documents.values()]
      .filter((record) => record.meta.deletedAt !== null)
      .map((record) => ({ ...record.meta }))
      .sort((a, b) => b.deletedAt! - a.deletedAt! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async purgeTrash(deletedBefore: number): Promise<string[]> {
    this.#assertOpen();
    const ids = [...this.#documents.values()]
      .filter((record) => record.meta.deletedAt !== null && record.meta.deletedAt < deletedBefore)
      .map((record) => record.meta.id);
    for (const id of ids) await this.deleteDocument(id);
    return ids;
  }

  async commitChanges(
    documentId: string,
    expectedVersion: number,
    changes: StoredChange[],
  ): Promise<CommitResult> {
    this.#assertOpen();
    checkCommitBatch(documentId, expectedVersion, changes);
    const record = this.#record(documentId);
    for (const change of changes) {
      const existing = record.byChangeId.get(authorKey(change.userId, change.changeId));
      if (existing) return { ok: false, reason: 'duplicate-change', existing: toChange(existing) };
    }
    if (record.meta.version !== expectedVersion) {
      return { ok: false, reason: 'version-taken', currentVersion: record.meta.version };
    }
    // Serialise every op before touching the record, so a failure leaves nothing half-committed.
    const records: ChangeRecord[] = changes.map((change) => ({
      documentId,
      version: change.version,
      changeId: change.changeId,
      userId: change.userId,
      userName: change.userName,
      opJson: JSON.stringify(change.op),
      createdAt: change.createdAt,
    }));
    for (const change of records) {
      record.changes.push(change);
      record.byChangeId.set(authorKey(change.userId, change.changeId), change);
    }
    const last = records[records.length - 1]!;
    record.meta = {
      ...record.meta,
      version: last.version,
      updatedAt: last.createdAt,
      updatedBy: last.userId,
      updatedByName: last.userName,
    };
    return { ok: true, version: last.version };
  }

  async getChanges(documentId: string, fromVersion: number, toVersion?: number): Promise<StoredChange[]> {
    this.#assertOpen();
    assertBound(fromVersion, 'fromVersion');
    if (toVersion !== undefined) assertBound(toVersion, 'toVersion');
    const record = this.#documents.get(documentId);
    if (!record) return [];
    // Version v sits at index v - 1.
    const start = Math.max(record.compactedThrough, fromVersion);
    const end = Math.min(record.changes.length, toVersion ?? record.changes.length);
    return start < end ? record.changes.slice(start, end).map(toChange) : [];
  }

  async findChange(documentId: string, userId: string, changeId: string): Promise<StoredChange | null> {
    this.#assertOpen();
    const change = this.#documents.get(documentId)?.byChangeId.get(authorKey(userId, changeId));
    return change ? toChange(change) : null;
  }

  async lastVersionBefore(documentId: string, time: number): Promise<number> {
    this.#assertOpen();
    const record = this.#documents.get(documentId);
    if (!record) return 0;
    for (let i = record.changes.length - 1; i >= record.compactedThrough; i--) {
      if (record.changes[i]!.createdAt < time) return i + 1;
    }
    return 0;
  }

  async deleteChangesThrough(documentId: string, throughVersion: number): Promise<number> {
    this.#assertOpen();
    assertBound(throughVersion, 'throughVersion');
    const record = this.#record(documentId);
    if (!record.snapshots.some((s) => s.version === throughVersion)) {
      throw new StoreError('INVALID_ARGUMENT', `no snapshot of ${documentId} at version ${throughVersion}`);
    }
    const from = record.compactedThrough;
    if (throughVersion <= from) return 0;
    for (let i = from; i < throughVersion; i++) {
      const change = record.changes[i]!;
      record.byChangeId.delete(authorKey(change.userId, change.changeId));
    }
    record.compactedThrough = throughVersion;
    // Snapshots of named versions stay: those versions remain readable.
    const named = new Set(record.namedVersions.map((n) => n.version));
    record.snapshots = record.snapshots.filter((s) => s.version >= throughVersion || named.has(s.version));
    return throughVersion - from;
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.#assertOpen();
    checkSnapshot(snapshot);
    const record = this.#record(snapshot.documentId);
    if (snapshot.version > record.meta.version) {
      throw new StoreError(
        'INVALID_ARGUMENT',
        `snapshot version ${snapshot.version} is ahead of document ${snapshot.documentId} (version ${record.meta.version})`,
      );
    }
    const copy: Snapshot = {
      documentId: snapshot.documentId,
      version: snapshot.version,
      content: snapshot.content,
      createdAt: snapshot.createdAt,
    };
    const snapshots = record.snapshots;
    const index = snapshots.findIndex((s) => s.version >= copy.version);
    if (index === -1) snapshots.push(copy);
    else if (snapshots[index]!.version === copy.version) snapshots[index] = copy;
    else snapshots.splice(index, 0, copy);
  }

  async getSnapshot(documentId: string, atOrBefore?: number): Promise<Snapshot | null> {
    this.#assertOpen();
    if (atOrBefore !== undefined) assertBound(atOrBefore, 'atOrBefore');
    const snapshots = this.#documents.get(documentId)?.snapshots ?? [];
    for (let i = snapshots.length - 1; i >= 0; i--) {
      const snapshot = snapshots[i]!;
      if (atOrBefore === undefined || snapshot.version <= atOrBefore) return { ...snapshot };
    }
    return null;
  }

  async saveNamedVersion(version: NamedVersion): Promise<void> {
    this.#assertOpen();
    checkNamedVersion(version);
    const record = this.#record(version.documentId);
    if (this.#namedVersionIds.has(version.id)) {
      throw new StoreError('ALREADY_EXISTS', `a named version with id ${version.id} exists already`);
    }
    this.#namedVersionIds.add(version.id);
    record.namedVersions.push({
      id: version.id,
      documentId: version.documentId,
      name: version.name,
      version: version.version,
      createdBy: version.createdBy,
      createdByName: version.createdByName,
      createdAt: version.createdAt,
    });
    record.namedVersions.sort(compareNamedVersions);
  }

  async listNamedVersions(documentId: string): Promise<NamedVersion[]> {
    this.#assertOpen();
    return (this.#documents.get(documentId)?.namedVersions ?? []).map((named) => ({ ...named }));
  }

  #record(documentId: string): DocumentRecord {
    const record = this.#documents.get(documentId);
    if (!record) throw new StoreError('DOCUMENT_NOT_FOUND', `document ${documentId} does not exist`);
    return record;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError('CLOSED', 'the memory store is closed');
  }
}

export function createMemoryStore(): MemoryStore {
  return new MemoryStore();
}
