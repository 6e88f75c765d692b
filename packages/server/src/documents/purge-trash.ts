/**
 * Empties the trash of what has been in it longer than TRASH_RETENTION_DAYS. The retention is the
 * promise "a deleted job description can be restored for this long"; past it the document, its
 * history and its named versions are deleted for good. Idempotent and safe on several nodes at
 * once (each purge is one statement or transaction; a second node finds nothing left).
 */
import type { Logger } from 'pino';
import type { DocumentStore } from '../storage/types.js';

/** Purges what was trashed more than `retentionMs` before `now`. Returns the ids purged. */
export function purgeExpiredTrash(
  store: DocumentStore,
  retentionMs: number,
  now: number = Date.now(),
): Promise<string[]> {
  return store.purgeTrash(now - retentionMs);
}

/**
 * Runs a pass a minute after start (or after `intervalMs` if shorter), then every `intervalMs`, one
 * at a time. Returns a function that stops it (waiting for a running pass).
 */
export function scheduleTrashPurge(
  store: DocumentStore,
  options: { retentionMs: number; intervalMs: number },
  logger: Logger,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const pass = (): void => {
    running = purgeExpiredTrash(store, options.retentionMs)
      .then((ids) => {
        if (ids.length > 0) logger.info({ documents: ids }, 'purged documents from the trash');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'trash purge pass failed'))
      .finally(() => {
        running = null;
        if (!stopped) arm(options.intervalMs);
      });
  };
  const arm = (delay: number): void => {
    timer = setTimeout(pass, delay);
    timer.unref();
  };
  arm(Math.min(options.intervalMs, 60_000));
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
