/**
 * A node that starts while PostgreSQL is not there yet: it retries with backoff and starts once
 * the database answers; when it never does, the process exits 1 with a message that says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/storage/index.js';
import { initStorage } from '../../src/storage-startup.js';
import { runMainOnce } from '../process/server-process.js';
import { closedPort } from '../pubsub/redis-test-support.js';
import { createTestDatabase, startTcpProxy, type TestDatabase } from './services.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe('starting while PostgreSQL is unavailable', () => {
  it('retries until the database answers, then starts', async () => {
    const proxy = await startTcpProxy(Number(new URL(db.url).port || 5432));
    await proxy.down();
    let firstRetry: () => void = () => undefined;
    const retried = new Promise<void>((resolve) => {
      firstRetry = resolve;
    });
    const logger = pino(
      { level: 'warn' },
      {
        write(line: string) {
          if (line.includes('PostgreSQL is not available yet')) firstRetry();
        },
      },
    );
    const store = createPostgresStore({
      connectionString: db.urlWithPort(proxy.port),
      schema: 'start_retry',
    });
    try {
      const started = initStorage(store, logger, { timeoutMs: 20_000, initialDelayMs: 100 });
      await retried;
      await proxy.up();
      await started;
      await store.ping();
    } finally {
      await store.close();
      await proxy.close();
    }
  });

  it('gives up after DATABASE_START_TIMEOUT_MS and exits 1 with a clear message', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jd-start-'));
    try {
      const result = await runMainOnce({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        DATABASE_URL: `postgres://postgres@127.0.0.1:${await closedPort()}/nowhere`,
        DATABASE_START_TIMEOUT_MS: '1000',
      });
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/storage unavailable: PostgreSQL did not answer within 1 s/);
      expect(result.output).toContain('DATABASE_URL');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
