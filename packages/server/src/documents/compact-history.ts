/**
 * Change retention: the committed changes of a document are kept for CHANGE_RETENTION_DAYS, then
 * compacted into a snapshot.
 *
 * Why keep them at all once a snapshot exists: a client that was offline (or a tab reopened from
 * its saved state) resynchronises by replaying the changes since the version it last saw; only
 * changes let the server and the client transform pending edits exactly (resync.ts). A snapshot
 * would leave the client to guess by diffing texts. So the retention period is the promise "an
 * edit made offline for up to this long merges exactly"; past it, the client is told that its
 * edits were merged against a newer version.
 *
 * What a pass does, per document: the cut-off is the last version committed before now − retention.
 * Each named version at or before it gets a snapshot of its own (so it stays readable), then a
 * snapshot at the cut-off, then the changes through the cut-off and the older snapshots go
 * (DocumentStore.deleteChangesThrough). Idempotent, and safe on several nodes at once: snapshots at
 * a version are pure functions of the history, and deleting what is gone deletes nothing.
 */
import type { Logger } from 'pino';
import type { DocumentStore } from '../storage/types.js';
import { LoadContentError, loadContent } from './load-content.js';
import { schedulePeriodicPass } from './periodic-pass.js';

export interface CompactionOptions {
  /** Changes older than this are compacted (ms). */
  retentionMs: number;
  now?: () => number;
}

export interface CompactionResult {
  /** Documents whose history was compacted in this pass. */
  documents: number;
  /** Changes deleted. */
  changes: number;
}

/** One pass over every document. A failure on one document is logged and the pass goes on. */
export async function compactHistory(
  store: DocumentStore,
  options: CompactionOptions,
  logger?: Logger,
): Promise<CompactionResult> {
  const cutoff = (options.now ?? Date.now)() - options.retentionMs;
  const result: CompactionResult = { documents: 0, changes: 0 };
  for (const doc of await store.listDocuments()) {
    try {
      const deleted = await compactDocument(store, doc.id, cutoff);
      if (deleted > 0) {
        result.documents++;
        result.changes += deleted;
      }
    } catch (error) {
      logger?.warn({ err: error, documentId: doc.id }, 'compacting a document failed; will retry');
    }
  }
  return result;
}

/** Compacts one document's changes committed before `cutoff`. Returns how many were deleted. */
export async function compactDocument(
  store: DocumentStore,
  documentId: string,
  cutoff: number,
): Promise<number> {
  const through = await store.lastVersionBefore(documentId, cutoff);
  if (through === 0) return 0;
  const kept = await store.getChanges(documentId, through - 1, through);
  if (kept.length === 0) return 0; // already compacted through here
  for (const named of await store.listNamedVersions(documentId)) {
    if (named.version > through) continue;
    try {
      await snapshotAt(store, documentId, named.version);
    } catch (error) {
      // Compacted before this pass without its own snapshot (cannot happen since compaction
      // exists, but a database restored from elsewhere might): nothing left to keep.
      if (!(error instanceof LoadContentError)) throw error;
    }
  }
  await snapshotAt(store, documentId, through);
  return store.deleteChangesThrough(documentId, through);
}

async function snapshotAt(store: DocumentStore, documentId: string, version: number): Promise<void> {
  if ((await store.getSnapshot(documentId, version))?.version === version) return;
  const { content } = await loadContent(store, documentId, version);
  await store.saveSnapshot({ documentId, version, content, createdAt: Date.now() });
}

/** Compaction every `intervalMs` (first pass a minute after start): see periodic-pass.ts. */
export function scheduleCompaction(
  store: DocumentStore,
  options: CompactionOptions & { intervalMs: number },
  logger: Logger,
): () => Promise<void> {
  return schedulePeriodicPass(
    'change compaction',
    options.intervalMs,
    async () => {
      const result = await compactHistory(store, options, logger);
      if (result.changes > 0) logger.info(result, 'compacted change history');
    },
    logger,
  );
}
