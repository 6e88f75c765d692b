/**
 * Opening storage at start. A database server that is still starting (all containers come up
 * together) or restarting is common, so a node waits for it, with backoff, for a bounded time;
 * then it gives up with a message that says what to check, and main exits 1. SQLite and contract
 * errors (a schema newer than this build, a bad schema name) are not retried: waiting cannot fix
 * them.
 */
import type { Logger } from './logger.js';
import { isStoreError } from './storage/store-errors.js';
import type { DocumentStore } from './storage/types.js';

export interface StorageStartOptions {
  /** Give up after this long. Default 30 s. */
  timeoutMs?: number;
  /** First wait between attempts; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export class StorageStartError extends Error {
  override readonly name = 'StorageStartError';
}

export async function initStorage(
  store: DocumentStore,
  logger: Logger,
  options: StorageStartOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxDelay = options.maxDelayMs ?? 5_000;
  const deadline = Date.now() + timeoutMs;
  let delay = options.initialDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      await store.init();
      if (attempt > 1) logger.info({ storage: store.kind, attempt }, 'storage is available');
      return;
    } catch (error) {
      if (store.kind !== 'postgres' || isStoreError(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      if (Date.now() + delay > deadline) {
        throw new StorageStartError(
          `PostgreSQL did not answer within ${Math.round(timeoutMs / 1000)} s (${attempt} attempts; last ` +
            `error: ${reason}). Check that it runs and that DATABASE_URL points at it.`,
          { cause: error },
        );
      }
      logger.warn({ attempt, retryInMs: delay, err: reason }, 'PostgreSQL is not available yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}
