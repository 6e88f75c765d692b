/**
 * Scenario 3: many idle connected clients. They connect (spread over documents, `perDocument`
 * each, since a real deployment spreads users over many job descriptions), receive their
 * document.open and then do nothing; the server's ws pings are answered by the ws library.
 * Server memory per connection = (RSS with everyone connected - RSS before) / count.
 */

import os from 'node:os';
import type { Row } from '../../report.js';
import { BenchClient } from '../bench-client.js';
import { createBenchDocument } from '../create-document.js';
import { signToken } from '../jwt.js';
import { processCpuSeconds, processMemory } from '../proc-stats.js';
import { pool } from '../run-load.js';
import type { BenchServer, ServerProcessOptions } from '../server-process.js';
import type { StartServer } from './editors.js';

export interface IdleOptions {
  startServer: StartServer;
  serverOptions?: ServerProcessOptions;
  clients: number;
  perDocument: number;
  /** Seconds to stay connected before measuring (lets GC and buffers settle). */
  settleSeconds: number;
  /** Give up connecting after this long. */
  timeoutSeconds: number;
  concurrency?: number;
  log?: (text: string) => void;
}

export interface IdleResult {
  clients: number;
  connected: number;
  failed: number;
  firstFailure: string | null;
  documents: number;
  connectSeconds: number;
  serverRssBeforeMiB: number;
  serverRssConnectedMiB: number;
  serverPeakRssMiB: number;
  bytesPerConnection: number;
  serverCpuSecondsConnecting: number;
  generatorRssMiB: number;
  settings: Record<string, string>;
  loadAverage: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Loopback source addresses: past ~28,000 sockets one address runs out of ephemeral ports. */
function sourceAddress(index: number, total: number): string | undefined {
  if (total <= 20_000) return undefined;
  return `127.0.0.${1 + (index % 8)}`;
}

export async function runIdle(options: IdleOptions): Promise<IdleResult> {
  const log = options.log ?? (() => undefined);
  const server = await options.startServer(options.serverOptions);
  const clients: BenchClient[] = [];
  try {
    return await measure(server, options, clients, log);
  } finally {
    for (const client of clients) client.close();
    await server.stop();
  }
}

async function measure(
  server: BenchServer,
  options: IdleOptions,
  clients: BenchClient[],
  log: (text: string) => void,
): Promise<IdleResult> {
  const documents = Math.ceil(options.clients / options.perDocument);
  const runId = Math.random().toString(36).slice(2, 8);
  const tokens = Array.from({ length: options.perDocument }, (_, i) =>
    signToken(server.secret, { userId: `idle-${i}` }),
  );
  // Documents are created over REST (opening never creates one), before anything is measured.
  await pool(
    ['warm', ...Array.from({ length: documents }, (_, d) => String(d))],
    options.concurrency ?? 100,
    (suffix) => createBenchDocument(server.wsUrl, server.secret, `idle-${runId}-${suffix}`),
  );
  // One connection first: the baseline then includes the loaded code paths, not just a cold start.
  const warm = new BenchClient(-1, -1, { send: false, observe: false, full: false }, null, {
    wsUrl: server.wsUrl,
    documentId: `idle-${runId}-warm`,
    token: tokens[0]!,
  });
  await warm.opened;
  warm.close();
  await sleep(1000);
  if (typeof global.gc === 'function') global.gc();
  const before = processMemory(server.pid);
  const cpuBefore = processCpuSeconds(server.pid);

  let failed = 0;
  let firstFailure: string | null = null;
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const start = performance.now();
  log(`scenario 3: connecting ${options.clients} idle clients over ${documents} documents\n`);
  await pool(
    Array.from({ length: options.clients }, (_, i) => i),
    options.concurrency ?? 100,
    async (i) => {
      if (Date.now() > deadline) {
        failed++;
        firstFailure ??= 'connect timeout';
        return;
      }
      const localAddress = sourceAddress(i, options.clients);
      const client = new BenchClient(i, 0, { send: false, observe: false, full: false }, null, {
        wsUrl: server.wsUrl,
        documentId: `idle-${runId}-${Math.floor(i / options.perDocument)}`,
        token: tokens[i % options.perDocument]!,
        ...(localAddress ? { localAddress } : {}),
      });
      clients.push(client);
      try {
        await client.opened;
      } catch (error) {
        failed++;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    },
  );
  const connectSeconds = (performance.now() - start) / 1000;
  const cpuConnecting = processCpuSeconds(server.pid) - cpuBefore;
  log(`  connected in ${connectSeconds.toFixed(1)} s; settling ${options.settleSeconds} s\n`);
  await sleep(options.settleSeconds * 1000);
  const connected = clients.filter((c) => c.ws.readyState === c.ws.OPEN).length;
  const after = processMemory(server.pid);
  return {
    clients: options.clients,
    connected,
    failed,
    firstFailure,
    documents,
    connectSeconds,
    serverRssBeforeMiB: before.rss / 2 ** 20,
    serverRssConnectedMiB: after.rss / 2 ** 20,
    serverPeakRssMiB: after.peakRss / 2 ** 20,
    bytesPerConnection: connected > 0 ? (after.rss - before.rss) / connected : 0,
    serverCpuSecondsConnecting: cpuConnecting,
    generatorRssMiB: process.memoryUsage().rss / 2 ** 20,
    settings: server.settings,
    loadAverage: os.loadavg()[0] ?? 0,
  };
}

export function idleRow(r: IdleResult): Row {
  return {
    clients: r.clients,
    connected: r.connected,
    failed: r.failed,
    documents: r.documents,
    'connect s': r.connectSeconds,
    'connects/s': Math.round(r.connected / r.connectSeconds),
    'server RSS before MiB': r.serverRssBeforeMiB,
    'server RSS connected MiB': r.serverRssConnectedMiB,
    'KB per connection': r.bytesPerConnection / 1000,
    'server CPU s (connecting)': r.serverCpuSecondsConnecting,
    'generator RSS MiB': r.generatorRssMiB,
    'load avg': r.loadAverage,
  };
}
