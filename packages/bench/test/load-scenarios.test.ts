/**
 * Smoke versions of the server scenarios: they prove the harness drives the real server over real
 * sockets and checks what it claims (every change acked, every delivery observed exactly once,
 * replicas converged, the trace stored intact). They assert correctness, never speed.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { syntheticTrace } from '../src/index.js';
import { correct } from '../src/load/cli.js';
import { serviceUrls } from '../src/load/cluster-services.js';
import { runClientTrace } from '../src/load/scenarios/client-trace.js';
import { runCluster } from '../src/load/scenarios/cluster.js';
import {
  largestPassing,
  offeredShare,
  runManyDocuments,
  runOneDocument,
} from '../src/load/scenarios/editors.js';
import { runIdle } from '../src/load/scenarios/idle.js';
import { startInProcessServer } from './in-process-server.js';

const smoke = { startServer: startInProcessServer, warmupSeconds: 0.3, durationSeconds: 2 };

describe('load scenarios (smoke)', () => {
  it('scenario 1: 5 editors on one document, every delivery observed, full clients converge', async () => {
    const [run] = await runOneDocument({ ...smoke, editorCounts: [5], observers: 3, fullClients: 2 });
    const r = run!.result;
    // The observers run on their own thread; they count as clients all the same.
    expect(r.clients).toBe(5 + 3 + 2);
    expect(r.drained).toBe(true);
    expect(r.changesSent).toBeGreaterThan(10);
    expect(r.acks).toBe(r.changesSent);
    // Observers see every change (they send none themselves).
    expect(r.deliveriesExpected).toBe(r.changesSent * 3);
    expect(r.deliveriesObserved).toBe(r.deliveriesExpected);
    expect(r.latency.count).toBeGreaterThan(0);
    expect(r.fullClientsConverged).toBe(2);
    expect(correct(run!)).toBe(true);
    // "Largest N" counts a run only if the generator offered (nearly) the planned load.
    const planned = 5 * run!.plan.changesPerSecond;
    const onTime = {
      ...run!,
      result: { ...r, changesPerSecondIn: planned, latency: { ...r.latency, p95: 1 } },
    };
    expect(offeredShare(onTime)).toBe(1);
    expect(largestPassing([onTime])).toBe(5);
    const behind = { ...onTime, result: { ...onTime.result, changesPerSecondIn: planned / 2 } };
    expect(offeredShare(behind)).toBe(0.5);
    expect(largestPassing([behind])).toBeNull();
  });

  it('scenario 2: 3 documents with 3 editors each, editors time each other', async () => {
    const run = await runManyDocuments({
      ...smoke,
      documents: 3,
      editorsPerDocument: 3,
      fullClientDocuments: 3,
    });
    const r = run.result;
    expect(r.clients).toBe(3 * 3 + 3);
    expect(r.acks).toBe(r.changesSent);
    // Each change reaches the 2 other editors of its document.
    expect(r.deliveriesExpected).toBe(r.changesSent * 2);
    expect(r.deliveriesMissing).toBe(0);
    expect(r.fullClientsConverged).toBe(3);
    expect(correct(run)).toBe(true);
  });

  it('scenario 3: 50 idle clients connect and stay connected', async () => {
    const r = await runIdle({
      startServer: startInProcessServer,
      clients: 50,
      perDocument: 10,
      settleSeconds: 0.2,
      timeoutSeconds: 20,
    });
    expect(r.failed).toBe(0);
    expect(r.connected).toBe(50);
    expect(r.documents).toBe(5);
    expect(r.serverRssConnectedMiB).toBeGreaterThan(0);
  });

  it('scenario 4: a 2,000-edit trace through CollabClient is stored and watched intact', async () => {
    const trace = syntheticTrace(2000);
    // Small chunks, so several round trips happen while the replay runs.
    const r = await runClientTrace({ startServer: startInProcessServer, trace, chunk: 16 });
    expect(r.storedEqualsEnd).toBe(true);
    expect(r.watcherEqualsEnd).toBe(true);
    expect(r.acks).toBe(r.changesSent);
    expect(r.acks).toBeGreaterThan(1);
    // Plus the one setup change that replaced the REST template with the empty start of the trace.
    expect(r.finalVersion).toBe(r.acks + 1);
  });

  it('scenario 5: 6 editors over three nodes with PostgreSQL and Redis, every delivery crosses nodes', async () => {
    const [run] = await runCluster({ ...smoke, editorCounts: [6], observers: 3, fullClients: 3 });
    const r = run!.result;
    // Each role is spread over the three nodes, so most deliveries travel through PostgreSQL and Redis.
    expect(new Set(r.perNode.map((node) => node.wsUrl)).size).toBe(3);
    expect(r.perNode.map((node) => [node.editors, node.observers, node.fullClients])).toEqual([
      [2, 1, 1],
      [2, 1, 1],
      [2, 1, 1],
    ]);
    expect(r.drained).toBe(true);
    expect(r.changesSent).toBeGreaterThan(10);
    expect(r.acks).toBe(r.changesSent);
    expect(r.changesRefused).toBe(0);
    expect(r.errors).toBe(0);
    expect(r.deliveriesExpected).toBe(r.changesSent * 3);
    expect(r.deliveriesObserved).toBe(r.deliveriesExpected);
    expect(r.duplicateDeliveries).toBe(0);
    // Each full client equals its own node, and the three (one per node) equal each other.
    expect(r.fullClientsConverged).toBe(3);
    expect(r.fullClientGaps).toBe(0);
    expect(r.documentsDisagreeing).toBe(0);
    expect(correct(run!)).toBe(true);
    // The nodes' own counters: every acked change committed once (plus the document's initial text).
    expect(run!.serverMetrics?.changesCommitted).toBe(r.acks + 1);
    await expectServicesRemoved(run!.settings);
  }, 60_000);
});

/** The run's schema is dropped and its Redis keys deleted. */
async function expectServicesRemoved(settings: Record<string, string>): Promise<void> {
  const urls = serviceUrls();
  const db = new pg.Client({ connectionString: urls.databaseUrl });
  await db.connect();
  try {
    const found = await db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [settings.schema]);
    expect(found.rowCount).toBe(0);
  } finally {
    await db.end();
  }
  const redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: 0 });
  try {
    const [, keys] = await redis.scan('0', 'MATCH', `${settings.redisKeyPrefix}*`, 'COUNT', 10_000);
    expect(keys).toEqual([]);
  } finally {
    redis.disconnect();
  }
}
