/**
 * The content of a document at its latest version or at any past version: the latest snapshot at
 * or before that version, plus the committed changes after it, applied in order. Used by the HTTP
 * API (current content, content at a version) and by the collaboration core (opening a room).
 */
import { TextDocument } from '@jd-collab/ot';
import type { DocumentStore } from '../storage/types.js';

export type LoadContentErrorCode = 'DOCUMENT_NOT_FOUND' | 'VERSION_NOT_FOUND';

/** The document or the requested version does not exist (anything else thrown is a storage problem). */
export class LoadContentError extends Error {
  override readonly name = 'LoadContentError';
  constructor(
    readonly code: LoadContentErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface LoadedContent {
  content: string;
  version: number;
}

/**
 * Rebuilds the content at `version` (default: the latest committed version).
 * Rejects with LoadContentError DOCUMENT_NOT_FOUND, or VERSION_NOT_FOUND when `version` is newer
 * than the document or older than its oldest snapshot; with a plain Error when the stored history
 * is inconsistent (a gap in versions, an op that does not fit), which is a bug or corruption.
 */
export async function loadContent(
  store: DocumentStore,
  documentId: string,
  version?: number,
): Promise<LoadedContent> {
  if (version !== undefined && (!Number.isSafeInteger(version) || version < 0)) {
    throw new RangeError(`version must be a non-negative integer, got ${version}`);
  }
  const snapshot = await store.getSnapshot(documentId, version);
  if (snapshot === null) {
    const meta = await store.getDocument(documentId);
    if (meta === null) throw notFound(documentId);
    throw new LoadContentError(
      'VERSION_NOT_FOUND',
      `Version ${version} of document ${documentId} is no longer available (older than its history).`,
    );
  }
  const changes = await store.getChanges(documentId, snapshot.version, version);
  // A rope: replaying up to SNAPSHOT_EVERY changes on a long text stays linear.
  const doc = new TextDocument(snapshot.content);
  let current = snapshot.version;
  if (version !== undefined && snapshot.version < version && changes[0]?.version !== snapshot.version + 1) {
    // The changes after the snapshot were compacted away (change retention): this version is gone.
    const meta = await store.getDocument(documentId);
    if (meta === null) throw notFound(documentId);
    if (version <= meta.version) {
      throw new LoadContentError(
        'VERSION_NOT_FOUND',
        `Version ${version} of document ${documentId} is no longer available (its changes were compacted).`,
      );
    }
  }
  for (const change of changes) {
    if (change.version !== current + 1) {
      throw new Error(
        `Document ${documentId}: history gap, expected change ${current + 1} but found ${change.version}.`,
      );
    }
    try {
      doc.apply(change.op);
    } catch (error) {
      throw new Error(`Document ${documentId}: stored change ${change.version} does not apply.`, {
        cause: error,
      });
    }
    current = change.version;
  }
  if (version !== undefined && current !== version) {
    const meta = await store.getDocument(documentId);
    if (meta === null) throw notFound(documentId);
    throw new LoadContentError(
      'VERSION_NOT_FOUND',
      `Version ${version} of document ${documentId} does not exist; the latest is ${meta.version}.`,
    );
  }
  return { content: doc.toString(), version: current };
}

function notFound(documentId: string): LoadContentError {
  return new LoadContentError('DOCUMENT_NOT_FOUND', `Document ${documentId} does not exist.`);
}
