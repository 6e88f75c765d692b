/**
 * Runs a background maintenance pass (change compaction, trash purge) a minute after start (or
 * after `intervalMs` if shorter), then every `intervalMs`, never two at once; a pass that fails is
 * logged and the next one tries again. Returns a function that stops it, waiting for a running pass
 * so shutdown never closes the store under it.
 */
import type { Logger } from 'pino';

export function schedulePeriodicPass(
  name: string,
  intervalMs: number,
  pass: () => Promise<void>,
  logger: Logger,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const run = (): void => {
    running = pass()
      .catch((error: unknown) => logger.warn({ err: error }, `${name} pass failed`))
      .finally(() => {
        running = null;
        if (!stopped) arm(intervalMs);
      });
  };
  const arm = (delay: number): void => {
    timer = setTimeout(run, delay);
    timer.unref();
  };
  arm(Math.min(intervalMs, 60_000));
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
