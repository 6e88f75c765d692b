/**
 * Argument checks shared by every backend, so that all of them refuse the same bad input with
 * the same StoreError instead of each database failing in its own way (or, worse, silently
 * storing something else than it was given).
 */
import { DOCUMENT_STATUSES, postingPatchSchema } from '@jd-collab/protocol';
import { StoreError } from './store-errors.js';
import type {
  DocumentMetaPatch,
  DocumentStatus,
  NamedVersion,
  NewDocument,
  Snapshot,
  StoredChange,
} from './types.js';

const STATUSES: ReadonlySet<string> = new Set<DocumentStatus>(DOCUMENT_STATUSES);

// With the u flag, \p{Surrogate} only matches surrogates that are not part of a pair.
const LONE_SURROGATE = /\p{Surrogate}/u;
const NUL = '\u0000';

function invalid(message: string): never {
  throw new StoreError('INVALID_ARGUMENT', message);
}

/**
 * Text columns are stored as UTF-8: a lone surrogate would silently become U+FFFD in SQLite and
 * PostgreSQL refuses it, as it refuses U+0000 in text. So no backend accepts either.
 */
export function assertText(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') invalid(`${field} must be a string`);
  if (LONE_SURROGATE.test(value)) invalid(`${field} contains a lone surrogate (not well-formed Unicode)`);
  if (value.includes(NUL)) invalid(`${field} contains U+0000, which text cannot hold`);
}

/**
 * Only the text an op inserts is checked here (the op's structure is the OT engine's business):
 * an insert that no snapshot could hold must not enter the history.
 */
function assertOpText(op: unknown[], field: string): void {
  op.forEach((component, index) => {
    if (typeof component === 'string') assertText(component, `${field}[${index}]`);
  });
}

export function assertVersion(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    invalid(`${field} must be a non-negative integer, got ${String(value)}`);
  }
}

export function assertTimestamp(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    invalid(`${field} must be an integer timestamp in ms, got ${String(value)}`);
  }
}

/** getChanges bounds may be any integer (a negative fromVersion simply means "from the start"). */
export function assertBound(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    invalid(`${field} must be an integer, got ${String(value)}`);
  }
}

export function assertStatus(value: unknown): asserts value is DocumentStatus {
  if (typeof value !== 'string' || !STATUSES.has(value)) {
    invalid(`status must be one of draft, review, published, got ${String(value)}`);
  }
}

export function checkNewDocument(doc: NewDocument): void {
  assertText(doc.id, 'id');
  if (doc.id.length === 0) invalid('id must not be empty');
  assertText(doc.title, 'title');
  assertText(doc.department, 'department');
  assertText(doc.content, 'content');
  assertText(doc.createdBy, 'createdBy');
  assertText(doc.createdByName, 'createdByName');
  if (doc.status !== undefined) assertStatus(doc.status);
  if (doc.createdAt !== undefined) assertTimestamp(doc.createdAt, 'createdAt');
}

export function checkMetaPatch(patch: DocumentMetaPatch): void {
  if (patch.title !== undefined) assertText(patch.title, 'title');
  if (patch.department !== undefined) assertText(patch.department, 'department');
  if (patch.status !== undefined) assertStatus(patch.status);
  if (patch.posting !== undefined && !postingPatchSchema.safeParse(patch.posting).success) {
    invalid('posting is not a valid posting patch');
  }
  assertText(patch.updatedBy, 'updatedBy');
  assertText(patch.updatedByName, 'updatedByName');
  if (patch.updatedAt !== undefined) assertTimestamp(patch.updatedAt, 'updatedAt');
}

/**
 * A commit batch must be what the contract says: non-empty, all for this document, versions
 * expectedVersion+1, +2, ... and no changeId twice (the unique key would otherwise reject the
 * batch half-way with a database-specific error).
 */
export function checkCommitBatch(documentId: string, expectedVersion: number, changes: StoredChange[]): void {
  assertVersion(expectedVersion, 'expectedVersion');
  if (!Array.isArray(changes) || changes.length === 0) invalid('commitChanges needs at least one change');
  const seen = new Set<string>();
  changes.forEach((change, index) => {
    const where = `changes[${index}]`;
    if (change.documentId !== documentId) {
      invalid(`${where}.documentId is ${change.documentId}, expected ${documentId}`);
    }
    if (change.version !== expectedVersion + index + 1) {
      invalid(`${where}.version is ${change.version}, expected ${expectedVersion + index + 1}`);
    }
    assertText(change.changeId, `${where}.changeId`);
    if (change.changeId.length === 0) invalid(`${where}.changeId must not be empty`);
    const key = authorKey(change.userId, change.changeId);
    if (seen.has(key))
      invalid(`${where}.changeId ${change.changeId} of ${change.userId} appears twice in the batch`);
    seen.add(key);
    assertText(change.userId, `${where}.userId`);
    assertText(change.userName, `${where}.userName`);
    assertTimestamp(change.createdAt, `${where}.createdAt`);
    if (!Array.isArray(change.op)) invalid(`${where}.op must be an array`);
    assertOpText(change.op, `${where}.op`);
  });
}

export function checkSnapshot(snapshot: Snapshot): void {
  assertVersion(snapshot.version, 'snapshot.version');
  assertText(snapshot.content, 'snapshot.content');
  assertTimestamp(snapshot.createdAt, 'snapshot.createdAt');
}

export function checkNamedVersion(version: NamedVersion): void {
  assertText(version.id, 'id');
  if (version.id.length === 0) invalid('id must not be empty');
  assertText(version.name, 'name');
  assertVersion(version.version, 'version');
  assertText(version.createdBy, 'createdBy');
  assertText(version.createdByName, 'createdByName');
  assertTimestamp(version.createdAt, 'createdAt');
}

/**
 * The key that recognises a retried change: its author and changeId (never the changeId alone,
 * which any co-editor can read in a broadcast and send first).
 */
export function authorKey(userId: string, changeId: string): string {
  return `${userId}\n${changeId}`;
}
