/**
 * The server scenarios of `npm run bench` (issue 7). Each scenario starts its own server process
 * (pinned to core 0; scenario 5's three nodes all share core 0); the generator runs pinned to
 * core 1 (index.ts re-executes itself).
 *
 * Options (all optional):
 *   --only=ot,editors,documents,idle,client-trace,cluster   scenarios to run (default: all)
 *   --smoke                 tiny versions that only prove the harness works
 *   --n=25,50,100           scenario 1: editor counts to sweep (default 25..1500)
 *   --cluster-n=25,50       scenario 5: editor counts to sweep (default 25..200)
 *   --duration=S --warmup=S measured window and warm-up per run (default 10 s and 3 s)
 *   --observers=20 --full=3 scenarios 1 and 5: observer and full clients
 *   --documents=1000 --editors-per-document=3   scenario 2
 *   --idle=10000 --idle-per-document=10          scenario 3
 *   --trace=automerge-paper  scenario 4 (a name in ../shared/traces, or "synthetic")
 *   --sync=full|normal       SQLITE_SYNCHRONOUS of the server (default full, the server default)
 *   --deflate                clients offer permessage-deflate, as browsers do (default off)
 *   --keep-going             scenarios 1 and 5: do not stop the sweep when p95 exceeds 1 s
 *   --cluster-editors-on-one-node   scenario 5: every editor on node 1 (as nginx's stickiness
 *                            by document would), observers and full clients still spread
 * Scenario 5 needs PostgreSQL and Redis on this machine: BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) and BENCH_REDIS_URL (default redis://127.0.0.1:6379);
 * each run creates its own schema and key prefix and removes them afterwards. When they are not
 * reachable, scenario 5 is skipped in a run of every scenario and fails when asked for by --only.
 */
import { syntheticTrace } from '../ot/index.js';
import { formatTable, type Row, writeJson } from '../report.js';
import { loadTrace } from '../traces.js';
import { ServicesUnavailableError } from './cluster-services.js';
import { type ClientTraceResult, clientTraceRow, runClientTrace } from './scenarios/client-trace.js';
import { clusterRow, runCluster } from './scenarios/cluster.js';
import {
  type EditorsRun,
  editorsRow,
  largestPassing,
  MIN_OFFERED_SHARE,
  type OneDocumentOptions,
  offeredShare,
  P95_TARGET_MS,
  runManyDocuments,
  runOneDocument,
  type StartServer,
} from './scenarios/editors.js';
import { idleRow, runIdle } from './scenarios/idle.js';
import type { ServerProcessOptions } from './server-process.js';

export const LOAD_SCENARIOS = ['editors', 'documents', 'idle', 'client-trace', 'cluster'] as const;

/** Scenario 1's options but the editor counts (scenario 5 shares them, with its own counts). */
type SweepOptions = Omit<OneDocumentOptions, 'editorCounts'>;

export interface LoadCliContext {
  argv: string[];
  only: Set<string> | null;
  smoke: boolean;
  outDir: string;
  machine: Row;
  startServer: StartServer;
  log: (text: string) => void;
}

function option(argv: string[], name: string): string | undefined {
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function numbers(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`expected positive integers: ${value}`);
  return list;
}

function number(argv: string[], name: string, fallback: number): number {
  const value = option(argv, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${value}`);
  return n;
}

/** Runs the selected load scenarios; false when a correctness check failed. */
export async function runLoadScenarios(ctx: LoadCliContext): Promise<boolean> {
  const { argv, smoke, log } = ctx;
  const wants = (name: string) => !ctx.only || ctx.only.has(name);
  const sync = option(argv, 'sync') ?? 'full';
  if (sync !== 'full' && sync !== 'normal') throw new Error(`--sync must be full or normal, got ${sync}`);
  const serverOptions: ServerProcessOptions = { sqliteSynchronous: sync };
  const deflate = argv.includes('--deflate');
  const warmupSeconds = number(argv, 'warmup', smoke ? 0.5 : 3);
  const durationSeconds = number(argv, 'duration', smoke ? 2 : 10);
  const common = {
    startServer: ctx.startServer,
    serverOptions,
    warmupSeconds,
    durationSeconds,
    deflate,
    log,
  };
  let ok = true;

  // Scenarios 1 and 5 run the same load; 5 spreads it over a cluster.
  const oneDocument: SweepOptions = {
    ...common,
    observers: number(argv, 'observers', smoke ? 3 : 20),
    fullClients: number(argv, 'full', smoke ? 2 : 3),
    ...(argv.includes('--keep-going') ? {} : { stopAboveP95Ms: 1000 }),
  };
  if (wants('editors')) {
    const runs = await runOneDocument({
      ...oneDocument,
      editorCounts:
        numbers(option(argv, 'n')) ?? (smoke ? [5] : [25, 50, 100, 200, 400, 800, 1000, 1200, 1500]),
    });
    ok &&= reportSweep(ctx, {
      title: 'scenario 1: one document, N editors (latency ms: send -> observer receipt)',
      json: 'load-editors',
      runs,
      row: editorsRow,
    });
  }
  if (wants('documents')) {
    const run = await runManyDocuments({
      ...common,
      documents: number(argv, 'documents', smoke ? 3 : 1000),
      editorsPerDocument: number(argv, 'editors-per-document', 3),
      fullClientDocuments: smoke ? 3 : 20,
    });
    log(
      formatTable('scenario 2: many documents (latency ms: send -> receipt by the other editors)', [
        editorsRow(run),
      ]),
    );
    log(settingsNote(run.settings));
    warnSaturation([run], log);
    ok &&= correctOrOverloaded(run);
    if (!run.result.drained) log(`  not drained within ${run.plan.drainTimeoutSeconds} s (overloaded)\n`);
    log(`wrote ${writeJson(ctx.outDir, 'load-documents', { machine: ctx.machine, run })}\n`);
  }
  if (wants('idle')) {
    const result = await runIdle({
      startServer: ctx.startServer,
      serverOptions,
      clients: number(argv, 'idle', smoke ? 50 : 10_000),
      perDocument: number(argv, 'idle-per-document', 10),
      settleSeconds: smoke ? 0.5 : 5,
      timeoutSeconds: 180,
      log,
    });
    log(formatTable('scenario 3: idle connections', [idleRow(result)]));
    log(settingsNote(result.settings));
    if (result.firstFailure) log(`first connection failure: ${result.firstFailure}\n`);
    ok &&= result.failed === 0 && result.connected === result.clients;
    log(`wrote ${writeJson(ctx.outDir, 'load-idle', { machine: ctx.machine, result })}\n`);
  }
  if (wants('client-trace')) {
    const name = option(argv, 'trace') ?? (smoke ? 'synthetic' : 'automerge-paper');
    const trace = name === 'synthetic' ? syntheticTrace(2000) : loadTrace(name);
    if (!trace) {
      log(`scenario 4: trace ${name} not found (set TRACES_DIR)\n`);
      ok = false;
    } else {
      const result: ClientTraceResult = await runClientTrace({
        startServer: ctx.startServer,
        serverOptions,
        trace,
      });
      log(
        formatTable('scenario 4: trace replay through CollabClient (target < 5 s)', [clientTraceRow(result)]),
      );
      log(settingsNote(result.settings));
      ok &&= result.storedEqualsEnd && result.watcherEqualsEnd;
      log(`wrote ${writeJson(ctx.outDir, 'load-client-trace', { machine: ctx.machine, result })}\n`);
    }
  }
  if (wants('cluster')) ok &&= await clusterScenario(ctx, oneDocument);
  return ok;
}

/** Scenario 5; PostgreSQL or Redis missing skips it, which fails only a run that asked for it. */
async function clusterScenario(ctx: LoadCliContext, oneDocument: SweepOptions): Promise<boolean> {
  const { argv, smoke, log } = ctx;
  const editorsOnFirstNode = argv.includes('--cluster-editors-on-one-node');
  const where = editorsOnFirstNode ? 'on node 1 of' : 'over';
  const spread = editorsOnFirstNode ? 'editors on node 1, observers and full clients' : 'every role';
  try {
    const runs = await runCluster({
      ...oneDocument,
      editorsOnFirstNode,
      // At least 3 of every role (smoke too), so that each of the three nodes has some.
      editorCounts: numbers(option(argv, 'cluster-n')) ?? (smoke ? [6] : [25, 50, 100, 200]),
      fullClients: number(argv, 'full', 3),
    });
    return reportSweep(ctx, {
      title: `scenario 5: one document, N editors ${where} 3 nodes + PostgreSQL + Redis (latency ms: send -> observer receipt)`,
      json: editorsOnFirstNode ? 'load-cluster-editors-on-one-node' : 'load-cluster',
      runs,
      row: clusterRow,
      note:
        'nodes: all three pinned to core 0, generator on core 1, PostgreSQL and Redis float over both cores; ' +
        `${spread} spread round-robin over the nodes, connected directly (no nginx); ` +
        'server CPU and peak MiB: the three nodes summed (each node its own peak)\n',
    });
  } catch (error) {
    if (!(error instanceof ServicesUnavailableError)) throw error;
    log(`scenario 5 skipped: ${error.message}\n`);
    return ctx.only === null;
  }
}

interface SweepReport {
  title: string;
  /** File name under outDir, without .json. */
  json: string;
  runs: EditorsRun[];
  row: (run: EditorsRun) => Row;
  note?: string;
}

/** Prints a sweep's table and verdicts (scenarios 1 and 5), writes its JSON; false if incorrect. */
function reportSweep(ctx: LoadCliContext, report: SweepReport): boolean {
  const { runs } = report;
  const log = ctx.log;
  const best = largestPassing(runs);
  log(formatTable(report.title, runs.map(report.row)));
  if (runs[0]) log(settingsNote(runs[0].settings));
  if (report.note) log(report.note);
  log(
    `largest N with p95 < ${P95_TARGET_MS} ms (no missing deliveries, no errors, no refusals, ` +
      `at least ${100 * MIN_OFFERED_SHARE}% of the planned changes offered): ${best ?? 'none'}\n`,
  );
  warnSaturation(runs, log);
  for (const run of runs.filter((r) => r.result.changesRefused > 0)) {
    log(
      `  ${run.label}: the server refused ${run.result.changesRefused} of ${run.result.changesSent} changes ` +
        '(a client would resync and retry them): not counted as passing\n',
    );
  }
  for (const run of runs.filter((r) => !r.result.drained)) {
    log(
      `  ${run.label}: not drained within ${run.plan.drainTimeoutSeconds} s (overloaded): figures above are lower bounds\n`,
    );
  }
  log(`wrote ${writeJson(ctx.outDir, report.json, { machine: ctx.machine, largestPassing: best, runs })}\n`);
  return runs.every(correctOrOverloaded);
}

function settingsNote(settings: Record<string, string>): string {
  return `server: ${Object.entries(settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(
      ' ',
    )} (rate limits and the document length limit raised so the generator's pace is never refused)\n`;
}

/**
 * Correctness, never speed: every change acked, every delivery observed, replicas converged (each
 * with its own node, and all of a document's with each other). With `allowRefusals`, changes the
 * server refused (conflict.detected: it told the client to resync and retry, nothing was lost)
 * may stand in for acks, and their refusal messages for errors.
 */
export function correct(run: EditorsRun, allowRefusals = false): boolean {
  const r = run.result;
  const refused = allowRefusals ? r.changesRefused : 0;
  return (
    r.acks + refused === r.changesSent &&
    r.deliveriesMissing === 0 &&
    r.duplicateDeliveries === 0 &&
    r.errors <= refused &&
    r.fullClientsConverged === r.fullClients &&
    r.fullClientGaps === 0 &&
    r.documentsDisagreeing === 0
  );
}

/**
 * A run that drained must be correct, but for refusals: the server refusing changes it cannot
 * commit (scenario 5's nodes racing for one document) is a finding shown in the table, like
 * falling behind. One that did not drain (the server fell behind) still shows its missing
 * deliveries in the table, but is not counted as a harness failure either.
 */
function correctOrOverloaded(run: EditorsRun): boolean {
  return !run.result.drained || correct(run, true);
}

function warnSaturation(runs: EditorsRun[], log: (text: string) => void): void {
  for (const run of runs) {
    const offered = offeredShare(run);
    if (offered < MIN_OFFERED_SHARE) {
      log(
        `  ${run.label}: the generator sent ${(100 * offered).toFixed(0)}% of the planned changes ` +
          '(it fell behind its schedule): not counted as passing\n',
      );
    }
    if (run.result.generatorSaturated) {
      log(
        `  ${run.label}: the generator used ${run.result.generatorCpuPercent.toFixed(0)}% of its core: ` +
          'saturated, so this row partly measures the generator\n',
      );
    }
  }
}
