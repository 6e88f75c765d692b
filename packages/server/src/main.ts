/**
 * Process entry point: configuration, start, signals.
 * Exit codes: 0 after a graceful stop, 1 on bad configuration, failed start, a crash, or a
 * shutdown that did not finish within FORCE_EXIT_MS.
 */
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { StorageStartError } from './storage-startup.js';

/** Hard limit for the whole stop, above SHUTDOWN_TIMEOUT_MS (8 s by default). */
const FORCE_EXIT_MS = 10_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`jd-collab: configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);

  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(config, { logger });
  } catch (error) {
    if (error instanceof ConfigError) console.error(`jd-collab: configuration error: ${error.message}`);
    if (error instanceof StorageStartError) console.error(`jd-collab: storage unavailable: ${error.message}`);
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
  logger.info(
    {
      url: server.url,
      production: config.production,
      dataDir: config.dataDir,
      allowedOrigins: config.allowedOrigins,
      webDir: config.webDir,
    },
    `jd-collab listening on ${server.url}`,
  );

  let stopping = false;
  const stop = (reason: string, exitCode: number): void => {
    if (stopping) {
      logger.warn({ reason }, 'already stopping');
      return;
    }
    stopping = true;
    logger.info({ reason }, 'stopping');
    const force = setTimeout(() => {
      logger.error({ reason }, `shutdown did not finish within ${FORCE_EXIT_MS} ms: exiting`);
      process.exit(1);
    }, FORCE_EXIT_MS);
    force.unref();
    server.close().then(
      () => process.exit(exitCode),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };

  process.once('SIGTERM', () => stop('SIGTERM', 0));
  process.once('SIGINT', () => stop('SIGINT', 0));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    stop('uncaughtException', 1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    stop('unhandledRejection', 1);
  });
}

await main();
