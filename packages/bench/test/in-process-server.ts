/**
 * The real server, started inside the test process from its TypeScript sources, for the smoke
 * tests (the CLI runs it as a separate, pinned process from dist). Same configuration path as
 * main.ts (loadConfig from an environment), fresh temporary DATA_DIR, port 0, 127.0.0.1. Several
 * of them with one secret and a cluster's env (DATABASE_URL, REDIS_URL, ...) form a cluster.
 * Imported by relative path: the server package has no library entry point.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/logger.js';
import { startServer } from '../../server/src/server.js';
import {
  BENCH_MAX_DOCUMENT_LENGTH,
  type BenchServer,
  newSecret,
  type ServerProcessOptions,
} from '../src/load/server-process.js';

export async function startInProcessServer(options: ServerProcessOptions = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jd-collab-bench-test-'));
  const secret = options.secret ?? newSecret();
  const settings: Record<string, string> = {
    SQLITE_SYNCHRONOUS: options.sqliteSynchronous ?? 'normal',
    RATE_LIMIT_PER_SECOND: String(options.rateLimitPerSecond ?? 1000),
    RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 60_000),
    // Light editors only insert (4 characters, 5 times a second each): 1,000 of them pass the
    // default limit of 100,000 code points within seconds.
    MAX_DOCUMENT_LENGTH: String(BENCH_MAX_DOCUMENT_LENGTH),
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET: secret,
    ...settings,
  });
  const server = await startServer(config, { logger: createLogger({ ...config, logLevel: 'silent' }) });
  const url = server.url;
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    pid: process.pid,
    secret,
    settings: { ...settings, inProcess: 'yes' },
    stop: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
