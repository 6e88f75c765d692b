/** A real app on a real in-memory SQLite store, driven with app.inject. */

import type { Op } from '@jd-collab/ot';
import { createTokenService, type TokenService } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import type { App, Pingable, Readiness } from '../../src/http/types.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { createSqliteStore } from '../../src/storage/index.js';
import type { DocumentStore, StoredChange } from '../../src/storage/types.js';

export const SECRET = 'http-test-secret-0123456789abcdef0123';

export interface TestApp {
  app: App;
  store: DocumentStore;
  tokens: TokenService;
  metrics: Metrics;
  readiness: Readiness;
  /** A bearer header for a user with these permissions and roles. */
  auth(userId: string, permissions: string[], roles?: string[]): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export async function testApp(
  options: {
    production?: boolean;
    webDir?: string;
    defaultMetrics?: boolean;
    broker?: Pingable;
    /** More environment variables for loadConfig. */
    env?: Record<string, string>;
  } = {},
): Promise<TestApp> {
  const config = loadConfig({
    JWT_SECRET: SECRET,
    LOG_LEVEL: 'silent',
    NODE_ENV: options.production ? 'production' : 'test',
    WEB_DIR: options.webDir ?? '/nonexistent/jd-collab-web',
    ...options.env,
  });
  const store = createSqliteStore({ filename: ':memory:' });
  await store.init();
  const tokens = createTokenService(SECRET);
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics ?? false });
  const readiness: Readiness = { shuttingDown: false };
  const app = await buildApp({
    config,
    store,
    tokens,
    metrics,
    logger: createLogger(config),
    readiness,
    ...(options.broker ? { broker: options.broker } : {}),
  });
  await app.ready();
  return {
    app,
    store,
    tokens,
    metrics,
    readiness,
    async auth(userId, permissions, roles = []) {
      const token = await tokens.sign({ sub: userId, name: `Name of ${userId}`, permissions, roles }, 3600);
      return { authorization: `Bearer ${token}` };
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export async function createDoc(
  store: DocumentStore,
  id: string,
  content = '',
  title = `Title ${id}`,
): Promise<void> {
  const created = await store.createDocument({
    id,
    title,
    department: 'Engineering',
    content,
    createdBy: 'u-seed',
    createdByName: 'Seed',
    // a minute ago, so anything the test does next is strictly more recent
    createdAt: Date.now() - 60_000,
  });
  if (!created) throw new Error(`${id} exists`);
}

/** Commits ops one by one, as the collaboration core would. */
export async function commit(store: DocumentStore, id: string, ops: Op[]): Promise<void> {
  for (const op of ops) {
    const meta = await store.getDocument(id);
    if (meta === null) throw new Error(`no document ${id}`);
    const change: StoredChange = {
      documentId: id,
      version: meta.version + 1,
      changeId: `c-${meta.version + 1}`,
      userId: 'u-writer',
      userName: 'Writer',
      op,
      createdAt: Date.now(),
    };
    const result = await store.commitChanges(id, meta.version, [change]);
    if (!result.ok) throw new Error(`commit failed: ${result.reason}`);
  }
}
