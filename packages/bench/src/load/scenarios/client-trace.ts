/**
 * Scenario 4: an editing trace replayed through the client library. One CollabClient (the writer)
 * applies every patch of the trace as a local edit, as fast as it can, yielding to the event loop
 * every `chunk` patches so acks and frames are handled meanwhile: while a change awaits its ack,
 * the library composes the next edits into one buffered change, as it does for a fast typist. A
 * second CollabClient watches. Measured: wall time until everything is acked and the watcher has
 * it, round trips (changes sent = acks), and both the stored document (GET /api/documents/:id)
 * and the watcher's text must equal the trace's endContent.
 */

import os from 'node:os';
import { CollabClient, type WebSocketConstructor, type WebSocketLike } from '@jd-collab/client';
import WebSocket from 'ws';
import { patchToOp } from '../../ot/trace-replay.js';
import type { Row } from '../../report.js';
import { patchCount, type SequentialTrace } from '../../traces.js';
import { createBenchDocument } from '../create-document.js';
import { signToken } from '../jwt.js';
import { processCpuSeconds, processMemory } from '../proc-stats.js';
import type { BenchServer, ServerProcessOptions } from '../server-process.js';
import type { StartServer } from './editors.js';

export interface ClientTraceOptions {
  startServer: StartServer;
  serverOptions?: ServerProcessOptions;
  trace: SequentialTrace;
  /** Patches applied between two yields to the event loop. */
  chunk?: number;
  /** Client batching; default sends as soon as possible (the bench server's rate limit is raised). */
  batch?: { maxMessages?: number; maxDelayMs?: number; minIntervalMs?: number };
  timeoutSeconds?: number;
}

export interface ClientTraceResult {
  trace: string;
  patches: number;
  wallSeconds: number;
  replaySeconds: number;
  changesSent: number;
  acks: number;
  editsPerRoundTrip: number;
  finalVersion: number;
  storedEqualsEnd: boolean;
  watcherEqualsEnd: boolean;
  serverCpuSeconds: number;
  serverPeakRssMiB: number;
  generatorCpuSeconds: number;
  settings: Record<string, string>;
  loadAverage: number;
}

interface Counters {
  changesSent: number;
  acks: number;
}

/** The ws constructor the client uses, counting changes sent and acks received. */
function countingWebSocket(counters: Counters): WebSocketConstructor {
  return class CountingWebSocket implements WebSocketLike {
    readonly #ws: WebSocket;
    constructor(url: string, protocols?: string | string[]) {
      this.#ws = new WebSocket(url, protocols, { perMessageDeflate: false });
      this.#ws.on('message', (data: Buffer) => {
        const text = data.toString('latin1');
        for (let i = text.indexOf('"ack":true'); i >= 0; i = text.indexOf('"ack":true', i + 1))
          counters.acks++;
      });
    }
    get readyState(): number {
      return this.#ws.readyState;
    }
    send(data: string): void {
      for (let i = data.indexOf('"document.change"'); i >= 0; i = data.indexOf('"document.change"', i + 1)) {
        counters.changesSent++;
      }
      this.#ws.send(data);
    }
    close(code?: number, reason?: string): void {
      this.#ws.close(code, reason);
    }
    addEventListener(type: string, listener: (event: never) => void): void {
      this.#ws.addEventListener(type as 'open', listener as () => void);
    }
  };
}

function waitFor(client: CollabClient, done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done()) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const off = client.on('state', () => {
      if (!done()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

export async function runClientTrace(options: ClientTraceOptions): Promise<ClientTraceResult> {
  const server = await options.startServer(options.serverOptions);
  try {
    return await replay(server, options);
  } finally {
    await server.stop();
  }
}

async function replay(server: BenchServer, options: ClientTraceOptions): Promise<ClientTraceResult> {
  const { trace } = options;
  const timeoutMs = (options.timeoutSeconds ?? 120) * 1000;
  const chunk = options.chunk ?? 64;
  const documentId = `trace-${trace.name.replace(/[^A-Za-z0-9_-]/g, '-')}-${Date.now().toString(36)}`;
  const token = signToken(server.secret, { userId: 'writer' });
  const watcherToken = signToken(server.secret, { userId: 'watcher' });
  const counters: Counters = { changesSent: 0, acks: 0 };
  // The trace starts from an empty document: created over REST, its template replaced by ''.
  await createBenchDocument(server.wsUrl, server.secret, documentId, '');
  const open = (client: CollabClient) =>
    new Promise<void>((resolve, reject) => {
      client.on('open', () => resolve());
      client.on('error', (error) => {
        if (client.state.status === 'offline') reject(error);
      });
    });
  const writer = new CollabClient({
    url: server.wsUrl,
    documentId,
    getToken: () => token,
    WebSocket: countingWebSocket(counters),
    batch: options.batch ?? { maxDelayMs: 0, minIntervalMs: 0 },
  });
  const watcher = new CollabClient({
    url: server.wsUrl,
    documentId,
    getToken: () => watcherToken,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  try {
    await Promise.all([open(writer), open(watcher)]);
    const cpu0 = processCpuSeconds(server.pid);
    const self0 = process.cpuUsage();
    const start = performance.now();
    if (trace.startContent !== '') writer.applyLocalChange([trace.startContent]);
    let applied = 0;
    for (const txn of trace.txns) {
      for (const patch of txn.patches) {
        writer.applyLocalChange(patchToOp(patch));
        if (++applied % chunk === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const replaySeconds = (performance.now() - start) / 1000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      writer.whenSynced(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('writer not synced in time')), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    const finalVersion = writer.state.version;
    await waitFor(watcher, () => watcher.state.version >= finalVersion, timeoutMs, 'the watcher');
    const wallSeconds = (performance.now() - start) / 1000;
    const self = process.cpuUsage(self0);
    const serverCpuSeconds = processCpuSeconds(server.pid) - cpu0;

    const response = await fetch(`${server.url}/api/documents/${documentId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const stored = response.ok ? ((await response.json()) as { content?: string }).content : undefined;
    return {
      trace: trace.name,
      patches: patchCount(trace),
      wallSeconds,
      replaySeconds,
      changesSent: counters.changesSent,
      acks: counters.acks,
      editsPerRoundTrip: patchCount(trace) / Math.max(1, counters.acks),
      finalVersion,
      storedEqualsEnd: stored === trace.endContent,
      watcherEqualsEnd: watcher.text === trace.endContent,
      serverCpuSeconds,
      serverPeakRssMiB: processMemory(server.pid).peakRss / 2 ** 20,
      generatorCpuSeconds: (self.user + self.system) / 1e6,
      settings: server.settings,
      loadAverage: os.loadavg()[0] ?? 0,
    };
  } finally {
    writer.close();
    watcher.close();
  }
}

export function clientTraceRow(r: ClientTraceResult): Row {
  return {
    trace: r.trace,
    patches: r.patches,
    'wall s': r.wallSeconds,
    'replay s': r.replaySeconds,
    'round trips': r.acks,
    'changes sent': r.changesSent,
    'edits/round trip': r.editsPerRoundTrip,
    'server CPU s': r.serverCpuSeconds,
    'client CPU s': r.generatorCpuSeconds,
    'server peak MiB': r.serverPeakRssMiB,
    'stored = end': r.storedEqualsEnd,
    'watcher = end': r.watcherEqualsEnd,
    'load avg': r.loadAverage,
  };
}
