/**
 * Empties the trash of what has been in it longer than TRASH_RETENTION_DAYS. The retention is the
 * promise "a deleted job description can be restored for this long"; past it the document, its
 * history and its named versions are deleted for good. Idempotent and safe on several nodes at
 * once (each purge is one statement or transaction; a second node finds nothing left).
 */
import type { Logger } from 'pino';
import type { DocumentStore } from '../storage/types.js';
import { schedulePeriodicPass } from './periodic-pass.js';

/** Purges what was trashed more than `retentionMs` before `now`. Returns the ids purged. */
export function purgeExpiredTrash(
  store: DocumentStore,
  retentionMs: number,
  now: number = Date.now(),
): Promise<string[]> {
  return store.purgeTrash(now - retentionMs);
}

/** The purge every `intervalMs` (first pass a minute after start): see periodic-pass.ts. */
export function scheduleTrashPurge(
  store: DocumentStore,
  options: { retentionMs: number; intervalMs: number },
  logger: Logger,
): () => Promise<void> {
  return schedulePeriodicPass(
    'trash purge',
    options.intervalMs,
    async () => {
      const ids = await purgeExpiredTrash(store, options.retentionMs);
      if (ids.length > 0) logger.info({ documents: ids }, 'purged documents from the trash');
    },
    logger,
  );
}
