/**
 * Property (issue 25): whatever the pattern of offline periods and server restarts, every run of
 * text a person typed stays contiguous and is there exactly once, in every client and in storage.
 *
 * fast-check draws a schedule: writers type, lose and regain their network (each through its own
 * TCP proxy, a real connection cut), and the server restarts (graceful close and start on the same
 * SQLite file, so it comes back holding in memory only the latest snapshot onwards). Snapshots and
 * the in-memory history are kept tiny, so almost every reconnect needs changes older than memory.
 * The real client library and the real server do the rest; the writers insert unique tokens at
 * token boundaries (and delete some of their own), so a split or lost run shows as a broken token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenService } from '../../server/src/auth/tokens.js';
import { loadConfig } from '../../server/src/config.js';
import { type RunningServer, startServer } from '../../server/src/server.js';
import {
  connectClient,
  converged,
  expectEveryTokenOnce,
  type Writer,
  writer,
} from '../../server/test/cluster/editing.js';
import { startTcpProxy, type TcpProxy } from '../../server/test/cluster/services.js';
import { documentContent } from '../../server/test/process/server-process.js';
import { ensureDocument } from '../../server/test/support/documents.js';

const SECRET = 'offline-restart-property-secret-0123456789abcdef';
const WRITERS = ['a', 'b', 'c'];

type Action =
  | { kind: 'type'; who: number; steps: number }
  | { kind: 'offline'; who: number }
  | { kind: 'online'; who: number }
  | { kind: 'restart' };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('type' as const),
      who: fc.nat(2),
      steps: fc.integer({ min: 1, max: 8 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('offline' as const), who: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('online' as const), who: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  cleanups = [];
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runSchedule(schedule: Action[], seed: number, snapshotEvery: number): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jd-offline-prop-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET: SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WEB_DIR: join(dataDir, 'no-web-app'),
    SNAPSHOT_EVERY: String(snapshotEvery),
    HISTORY_LIMIT: '2',
    HISTORY_RETAIN_MS: '0',
    SQLITE_SYNCHRONOUS: 'normal',
    RATE_LIMIT_PER_SECOND: '1000',
    RATE_LIMIT_PER_MINUTE: '100000',
    SHUTDOWN_TIMEOUT_MS: '2000',
  });
  let server: RunningServer = await startServer(config, { seed: false });
  const proxies: TcpProxy[] = [];
  const writers: Writer[] = [];
  cleanups.push(async () => {
    for (const w of writers) w.client.close();
    for (const p of proxies) await p.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const port = () => Number(new URL(server.url).port);
  const tokens = createTokenService(SECRET);
  const documentId = `prop-${seed}`;
  await ensureDocument(server.store, documentId);
  for (const [i, name] of WRITERS.entries()) {
    const proxy = await startTcpProxy(port);
    proxies.push(proxy);
    const token = await tokens.sign(
      { sub: name, name: `Writer ${name}`, permissions: ['document:*:write'], roles: [] },
      3600,
    );
    writers.push(
      writer(connectClient(`ws://127.0.0.1:${proxy.port}`, documentId, token), name, seed * 10 + i),
    );
  }
  await expect.poll(() => writers.every((w) => w.client.isOpen), { timeout: 10_000 }).toBe(true);
  const online = WRITERS.map(() => true);

  for (const step of schedule) {
    switch (step.kind) {
      case 'type':
        for (let i = 0; i < step.steps; i++) {
          writers[step.who]!.step();
          await pause(15);
        }
        break;
      case 'offline':
        if (online[step.who]) await proxies[step.who]!.down();
        online[step.who] = false;
        break;
      case 'online':
        if (!online[step.who]) await proxies[step.who]!.up();
        online[step.who] = true;
        break;
      case 'restart':
        await server.close();
        server = await startServer(config, { seed: false });
        break;
    }
  }
  for (const [i, proxy] of proxies.entries()) if (!online[i]) await proxy.up();
  const reader = await tokens.sign(
    { sub: 'reader', name: 'Reader', permissions: ['document:*:read'], roles: [] },
    3600,
  );
  const content = await converged(writers, () => documentContent(server.url, reader, documentId));
  expectEveryTokenOnce(content, writers);
}

describe('offline periods across server restarts (property)', () => {
  it('keeps every typed run contiguous and present exactly once', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(action, { minLength: 8, maxLength: 24 }),
        fc.integer({ min: 2, max: 5 }),
        async (schedule, snapshotEvery) => {
          run++;
          // Something restarts and someone is offline across it in every run worth having.
          const full: Action[] = [
            { kind: 'type', who: 0, steps: 3 },
            { kind: 'offline', who: 1 },
            ...schedule,
            { kind: 'type', who: 1, steps: 4 },
            { kind: 'restart' },
            { kind: 'type', who: 0, steps: 4 },
          ];
          try {
            await runSchedule(full, run, snapshotEvery);
          } finally {
            for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
            cleanups = [];
          }
        },
      ),
      { numRuns: 6, seed: 25, endOnFailure: true },
    );
  }, 240_000);
});
