/**
 * Scenario 1 (one document, N editors, swept over N) and scenario 2 (many documents, a few editors
 * each). Each run gets a fresh server process, so every row's peak RSS and CPU are its own.
 */
import type { Row } from '../../report.js';
import { targetOf } from '../load-target.js';
import { type LoadPlan, type LoadResult, runLoad } from '../run-load.js';
import type { ServerMetrics } from '../server-metrics.js';
import type { BenchServer, ServerProcessOptions } from '../server-process.js';

export type StartServer = (options?: ServerProcessOptions) => Promise<BenchServer>;

export interface CommonLoadOptions {
  startServer: StartServer;
  serverOptions?: ServerProcessOptions;
  warmupSeconds: number;
  durationSeconds: number;
  changesPerSecond?: number;
  deflate?: boolean;
  /** See LoadPlan.editorsOnFirstNode (scenario 5 only). */
  editorsOnFirstNode?: boolean;
  log?: (text: string) => void;
}

export interface OneDocumentOptions extends CommonLoadOptions {
  editorCounts: number[];
  observers: number;
  fullClients: number;
  /** Stop the sweep after a run whose p95 exceeds this (larger N only gets worse). */
  stopAboveP95Ms?: number;
}

export interface EditorsRun extends Measured {
  label: string;
  plan: LoadPlan;
}

/** What one run measured, on whatever it ran against. */
export interface Measured {
  settings: Record<string, string>;
  result: LoadResult;
  /** The server's own counters (scenario 5; null when a node did not answer). */
  serverMetrics?: ServerMetrics | null;
}

export const P95_TARGET_MS = 100;

function basePlan(options: CommonLoadOptions): Omit<LoadPlan, 'documents' | 'editorsPerDocument'> {
  return {
    editorsObserve: false,
    observersPerDocument: 0,
    fullClientsPerDocument: 0,
    changesPerSecond: options.changesPerSecond ?? 5,
    warmupSeconds: options.warmupSeconds,
    durationSeconds: options.durationSeconds,
    drainTimeoutSeconds: 15,
    initialLength: 500,
    insertText: 'abcd',
    connectConcurrency: 50,
    deflate: options.deflate ?? false,
    ...(options.editorsOnFirstNode ? { editorsOnFirstNode: true } : {}),
  };
}

async function withServer<T>(options: CommonLoadOptions, run: (server: BenchServer) => Promise<T>) {
  const server = await options.startServer(options.serverOptions);
  try {
    return { server, value: await run(server) };
  } finally {
    await server.stop();
  }
}

/** Scenario 1's load (also scenario 5's): N editors, observers and full clients on one document. */
export function oneDocumentPlan(options: OneDocumentOptions, editors: number): LoadPlan {
  return {
    ...basePlan(options),
    documents: 1,
    editorsPerDocument: editors,
    observersPerDocument: options.observers,
    fullClientsPerDocument: options.fullClients,
  };
}

/**
 * Runs `measure` for each editor count in turn; stops after a run whose p95 exceeds
 * stopAboveP95Ms, since larger N only gets worse (and takes longer to drain).
 */
export async function sweepEditors(
  options: OneDocumentOptions,
  title: string,
  measure: (plan: LoadPlan) => Promise<Measured>,
): Promise<EditorsRun[]> {
  const log = options.log ?? (() => undefined);
  const runs: EditorsRun[] = [];
  for (const n of options.editorCounts) {
    const plan = oneDocumentPlan(options, n);
    log(`${title}: ${n} editors on one document\n`);
    const measured = await measure(plan);
    const { result } = measured;
    runs.push({ label: `${n} editors`, plan, ...measured });
    log(`  p95 ${result.latency.p95.toFixed(1)} ms, server CPU ${result.serverCpuPercent.toFixed(0)}%\n`);
    if (options.stopAboveP95Ms !== undefined && result.latency.p95 > options.stopAboveP95Ms) {
      log(`  p95 above ${options.stopAboveP95Ms} ms: larger N not run\n`);
      break;
    }
  }
  return runs;
}

export function runOneDocument(options: OneDocumentOptions): Promise<EditorsRun[]> {
  const log = options.log ?? (() => undefined);
  return sweepEditors(options, 'scenario 1', async (plan) => {
    const { server, value: result } = await withServer(options, (s) => runLoad(targetOf([s]), plan, log));
    return { settings: server.settings, result };
  });
}

export interface ManyDocumentsOptions extends CommonLoadOptions {
  documents: number;
  editorsPerDocument: number;
  /** Documents that also get one full client (convergence sample). */
  fullClientDocuments: number;
}

export async function runManyDocuments(options: ManyDocumentsOptions): Promise<EditorsRun> {
  const log = options.log ?? (() => undefined);
  const plan: LoadPlan = {
    ...basePlan(options),
    documents: options.documents,
    editorsPerDocument: options.editorsPerDocument,
    editorsObserve: true,
    fullClientsPerDocument: 1,
    fullClientDocuments: options.fullClientDocuments,
    initialLength: 200,
  };
  log(`scenario 2: ${options.documents} documents x ${options.editorsPerDocument} editors\n`);
  const { server, value: result } = await withServer(options, (s) => runLoad(targetOf([s]), plan, log));
  return {
    label: `${options.documents} docs x ${options.editorsPerDocument}`,
    plan,
    settings: server.settings,
    result,
  };
}

/**
 * A run counts only if the generator kept its schedule: at least this share of the changes it
 * was meant to send (editors x rate) went out. A generator that falls behind offers less load
 * than the row's N says, which flatters the server.
 */
export const MIN_OFFERED_SHARE = 0.95;

/** Changes sent per second over those the plan meant to send (editors x rate). */
export function offeredShare(run: EditorsRun): number {
  const { plan } = run;
  const planned = plan.documents * plan.editorsPerDocument * plan.changesPerSecond;
  return planned > 0 ? run.result.changesPerSecondIn / planned : 1;
}

/**
 * The largest N whose p95 met the target, with every delivery observed (and none twice), no
 * errors, no refusals and the full load offered.
 */
export function largestPassing(runs: EditorsRun[], targetMs = P95_TARGET_MS): number | null {
  let best: number | null = null;
  for (const run of runs) {
    const r = run.result;
    const ok =
      r.latency.p95 < targetMs &&
      r.deliveriesMissing === 0 &&
      r.errors === 0 &&
      r.changesRefused === 0 &&
      // Receipts are counted per change: a duplicate could hide another observer's miss.
      r.duplicateDeliveries === 0 &&
      offeredShare(run) >= MIN_OFFERED_SHARE;
    if (ok) best = Math.max(best ?? 0, run.plan.editorsPerDocument);
  }
  return best;
}

export function editorsRow(run: EditorsRun): Row {
  const r = run.result;
  return {
    run: run.label,
    clients: r.clients,
    'changes/s in': Math.round(r.changesPerSecondIn),
    'offered %': Math.round(100 * offeredShare(run)),
    'deliveries/s out': Math.round(r.deliveriesPerSecondOut),
    p50: r.latency.p50,
    p95: r.latency.p95,
    p99: r.latency.p99,
    max: r.latency.max,
    sent: r.changesSent,
    acks: r.acks,
    'deliv. expected': r.deliveriesExpected,
    'deliv. observed': r.deliveriesObserved,
    missing: r.deliveriesMissing,
    errors: r.errors,
    refused: r.changesRefused,
    'server CPU %': r.serverCpuPercent,
    'server peak MiB': r.serverPeakRssMiB,
    'gen CPU %': r.generatorCpuPercent,
    'gen saturated': r.generatorSaturated,
    'gen loop p99 ms': r.generatorLoopDelayP99Ms,
    converged: `${r.fullClientsConverged}/${r.fullClients}`,
    'load avg': r.loadAverage,
  };
}
