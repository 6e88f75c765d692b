/**
 * The editing load shared by scenarios 1 and 2: D documents, each with E light editors sending
 * about R changes a second (jittered), O observers timing every delivery, and F full clients that
 * apply everything and are checked against the server at the end.
 *
 * Timeline: prepare documents -> connect everyone -> editors start -> warm-up (not measured) ->
 * measured window (latency of changes sent in it; server and generator CPU over it) -> editors
 * stop -> drain (wait for every ack and delivery, bounded) -> convergence check -> disconnect.
 *
 * The target may have several nodes (scenario 5): each role (editors, observers, full clients) is
 * spread round-robin over the nodes on its own, so every node has senders, observers and replicas.
 */
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BenchClient, type ClientRole } from './bench-client.js';
import { createBenchDocument } from './create-document.js';
import { EditorSchedule } from './editor-schedule.js';
import type { LatencySummary } from './histogram.js';
import { signToken } from './jwt.js';
import { ChangeLedger } from './ledger.js';
import { LightEditor } from './light-editor.js';
import type { LoadTarget } from './load-target.js';
import { type ObserverReport, ObserverThread } from './observers.js';
import { CpuWindow, processesMemory, processMemory } from './proc-stats.js';

export interface LoadPlan {
  documents: number;
  editorsPerDocument: number;
  /** Editors also time what they receive (scenario 2: every client is a real participant). */
  editorsObserve: boolean;
  observersPerDocument: number;
  fullClientsPerDocument: number;
  /** Only the first K documents get full clients (a sample, when there are many documents). */
  fullClientDocuments?: number;
  changesPerSecond: number;
  warmupSeconds: number;
  durationSeconds: number;
  drainTimeoutSeconds: number;
  /** Length of the initial document text (editors insert at random positions 0..this). */
  initialLength: number;
  insertText: string;
  connectConcurrency: number;
  deflate: boolean;
  /**
   * Several nodes: put every editor on the first node (as nginx's stickiness by document would)
   * while observers and full clients stay spread, so commits never race between nodes and what
   * remains is the hop through Redis. Default false: editors are spread like everyone else.
   */
  editorsOnFirstNode?: boolean;
}

export interface LoadResult {
  clients: number;
  connectSeconds: number;
  changesSent: number;
  changesMeasured: number;
  acks: number;
  /** Changes the server refused (conflict.detected, or a system.error naming them): never delivered. */
  changesRefused: number;
  errors: number;
  firstError: string | null;
  unexpectedCloses: number;
  /** Deliveries of the changes the server accepted (a refused change has none to expect). */
  deliveriesExpected: number;
  deliveriesObserved: number;
  deliveriesMissing: number;
  duplicateDeliveries: number;
  latency: LatencySummary;
  changesPerSecondIn: number;
  deliveriesPerSecondOut: number;
  /** All nodes together, percent of one core. */
  serverCpuPercent: number;
  /** Sum of every node's own peak (VmHWM), which need not have happened at the same moment. */
  serverPeakRssMiB: number;
  serverRssMiB: number;
  /** Each node: its clients by role, CPU and peak RSS (one entry for a single server). */
  perNode: NodeFigures[];
  /** Shared services' CPU over the window by command name (none for a single SQLite server). */
  servicesCpuPercent: Record<string, number>;
  generatorCpuPercent: number;
  generatorSaturated: boolean;
  generatorLoopDelayP99Ms: number;
  fullClients: number;
  fullClientsConverged: number;
  fullClientGaps: number;
  /** Documents whose full clients (on different nodes, in a cluster) ended with different texts. */
  documentsDisagreeing: number;
  drained: boolean;
  /** Machine load average (1 min) at the end of the measured window: other work competing for the cores. */
  loadAverage: number;
}

export interface NodeFigures {
  wsUrl: string;
  editors: number;
  observers: number;
  fullClients: number;
  cpuPercent: number;
  peakRssMiB: number;
}

type RoleName = 'editor' | 'observer' | 'full';

/** A client on the generator's main thread. */
type LoadClient = BenchClient | LightEditor;

/**
 * Editors that only send run on raw sockets (LightEditor), which costs the generator less per
 * frame than ws. Browser-like runs (permessage-deflate) use ws clients throughout.
 */
function isLightEditor(role: ClientRole, plan: LoadPlan): boolean {
  return role.send && !role.observe && !role.full && !plan.deflate;
}

interface ConnectedRun {
  target: LoadTarget;
  plan: LoadPlan;
  ledger: ChangeLedger;
  /** The clients on the main thread (editors, full clients). */
  clients: LoadClient[];
  specs: ClientSpec[];
  /** The observers, when there are any besides the editors. */
  observerThread: ObserverThread | null;
  /** On both threads. */
  clientCount: number;
  connectSeconds: number;
}

interface ClientSpec {
  doc: number;
  role: ClientRole;
  user: string;
  node: number;
}

const GENERATOR_SATURATED_PERCENT = 90;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}

export function initialText(length: number): string {
  const words = 'We are hiring a senior engineer to build real-time collaboration. ';
  return words.repeat(Math.ceil(length / words.length)).slice(0, length);
}

/** Who connects: per document, editors, observers, then full clients, each role round-robin over the nodes. */
function clientSpecs(plan: LoadPlan, nodes: number): ClientSpec[] {
  const fullDocs = Math.min(plan.documents, plan.fullClientDocuments ?? plan.documents);
  const counters: Record<RoleName, number> = { editor: 0, observer: 0, full: 0 };
  const nodeFor = (role: RoleName) => counters[role]++ % nodes;
  const specs: ClientSpec[] = [];
  for (let doc = 0; doc < plan.documents; doc++) {
    for (let e = 0; e < plan.editorsPerDocument; e++) {
      const role = { send: true, observe: plan.editorsObserve, full: false };
      specs.push({ doc, role, user: `editor-${e}`, node: plan.editorsOnFirstNode ? 0 : nodeFor('editor') });
    }
    for (let o = 0; o < plan.observersPerDocument; o++) {
      const role = { send: false, observe: true, full: false };
      specs.push({ doc, role, user: `observer-${o}`, node: nodeFor('observer') });
    }
    if (doc < fullDocs) {
      for (let f = 0; f < plan.fullClientsPerDocument; f++) {
        const role = { send: false, observe: false, full: true };
        specs.push({ doc, role, user: `full-${f}`, node: nodeFor('full') });
      }
    }
  }
  return specs;
}

export async function runLoad(
  target: LoadTarget,
  plan: LoadPlan,
  log: (text: string) => void = () => undefined,
): Promise<LoadResult> {
  const runId = Math.random().toString(36).slice(2, 8);
  const documentIds = Array.from({ length: plan.documents }, (_, d) => `load-${runId}-${d}`);
  const observersPerDocument =
    plan.observersPerDocument + (plan.editorsObserve ? plan.editorsPerDocument : 0);
  const ledger = ChangeLedger.create(observersPerDocument, ledgerCapacity(plan));
  const tokens = new Map<string, string>();
  const tokenFor = (userId: string) => {
    let token = tokens.get(userId);
    if (!token) {
      token = signToken(target.secret, { userId, name: userId });
      tokens.set(userId, token);
    }
    return token;
  };

  const text = initialText(plan.initialLength);
  await pool(documentIds, plan.connectConcurrency, (id) =>
    createBenchDocument(target.wsUrls[0]!, target.secret, id, text),
  );

  const specs = clientSpecs(plan, target.wsUrls.length);
  const clients: LoadClient[] = [];
  const connectStart = performance.now();
  const numbered = specs.map((spec, id) => ({ spec, id }));
  const onObserverThread = ({ spec }: { spec: ClientSpec }) =>
    !spec.role.send && spec.role.observe && !spec.role.full;
  let observerThread: ObserverThread | null = null;
  try {
    await pool(
      numbered.filter((c) => !onObserverThread(c)),
      plan.connectConcurrency,
      async ({ spec, id }) => {
        const options = {
          wsUrl: target.wsUrls[spec.node]!,
          documentId: documentIds[spec.doc]!,
          token: tokenFor(spec.user),
          deflate: plan.deflate,
        };
        const client = isLightEditor(spec.role, plan)
          ? new LightEditor(id, spec.doc, ledger, options)
          : new BenchClient(id, spec.doc, spec.role, ledger, options);
        clients.push(client);
        await client.opened;
      },
    );
    const observed = numbered.filter(onObserverThread);
    observerThread =
      observed.length === 0
        ? null
        : await ObserverThread.start({
            memory: ledger.memory,
            deflate: plan.deflate,
            clients: observed.map(({ spec, id }) => ({
              id,
              doc: spec.doc,
              wsUrl: target.wsUrls[spec.node]!,
              documentId: documentIds[spec.doc]!,
              token: tokenFor(spec.user),
            })),
          });
    const connectSeconds = (performance.now() - connectStart) / 1000;
    const clientCount = clients.length + observed.length;
    const run = { target, plan, ledger, clients, specs, observerThread, clientCount, connectSeconds };
    return await drive(run, log);
  } finally {
    // Also after a failure half-way: no socket or thread outlives the run.
    for (const client of clients) client.close();
    await observerThread?.terminate();
  }
}

/** Everything connected: the editors' load, the measured window, the drain and the checks. */
async function drive(run: ConnectedRun, log: (text: string) => void): Promise<LoadResult> {
  const { target, plan, ledger, clients, specs, observerThread, clientCount, connectSeconds } = run;
  log(`  ${clientCount} clients connected in ${connectSeconds.toFixed(1)} s\n`);

  const editors = clients.filter((c) => c.role.send);
  // Changes the server refused (conflict.detected, or a system.error naming them) are never
  // delivered: their deliveries are not "missing", and the drain does not wait for them. Each
  // sender finds its refusals while it looks for its acks.
  const refused = new Set<number>();
  for (const editor of editors) editor.onRefused = (index) => refused.add(index);
  const accepted = (index: number) => !refused.has(index);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const load = new EditorSchedule(editors, plan, ledger);
  load.start();
  try {
    await sleep(plan.warmupSeconds * 1000);
    load.measuring = true;
    loopDelay.enable();
    const window = new CpuWindow(target.pids, new Set(target.services));
    const firstMeasured = ledger.sent;
    await sleep(plan.durationSeconds * 1000);
    const cpu = window.read();
    const loadAverage = os.loadavg()[0] ?? 0;
    loopDelay.disable();
    load.measuring = false;
    load.stop();
    if (load.failure) throw load.failure;
    const changesMeasured = ledger.sent - firstMeasured;

    // Drain: every change acked or refused, and every delivery of an accepted one observed, or the timeout.
    const observesSelf = () => plan.editorsObserve;
    const deadline = Date.now() + plan.drainTimeoutSeconds * 1000;
    const settled = () =>
      sum(editors, (c) => c.acks) + refused.size >= ledger.sent &&
      ledger.deliveries(observesSelf, accepted).missing === 0;
    while (!settled() && Date.now() < deadline) await sleep(50);
    const drained = settled();

    const fullClients = clients.filter((c): c is BenchClient => c instanceof BenchClient && c.role.full);
    const convergence = await checkConvergence(fullClients);
    const deliveries = ledger.deliveries(observesSelf, accepted);
    const thread: ObserverReport | null = (await observerThread?.finish()) ?? null;
    if (thread) ledger.latency.add(thread.latency);
    const memory = processesMemory(target.pids);
    const result: LoadResult = {
      clients: clientCount,
      connectSeconds,
      changesSent: ledger.sent,
      changesMeasured,
      acks: sum(editors, (c) => c.acks),
      changesRefused: refused.size,
      errors: sum(clients, (c) => c.errors) + (thread?.errors ?? 0),
      firstError: clients.find((c) => c.firstError)?.firstError ?? thread?.firstError ?? null,
      unexpectedCloses:
        clients.filter((c) => c.unexpectedClose !== null).length + (thread?.unexpectedCloses ?? 0),
      deliveriesExpected: deliveries.expected,
      deliveriesObserved: deliveries.observed,
      deliveriesMissing: deliveries.missing,
      duplicateDeliveries:
        ledger.duplicateReceipts +
        ledger.unknownReceipts +
        (thread ? thread.duplicateReceipts + thread.unknownReceipts : 0),
      latency: ledger.latency.summary(),
      changesPerSecondIn: changesMeasured / cpu.seconds,
      // Every client but the sender receives each change (observers or not).
      deliveriesPerSecondOut:
        (changesMeasured * (clientCount / Math.max(1, plan.documents) - 1)) / cpu.seconds,
      serverCpuPercent: cpu.serverCpuPercent,
      serverPeakRssMiB: memory.peakRss / 2 ** 20,
      serverRssMiB: memory.rss / 2 ** 20,
      perNode: nodeFigures(target, specs, cpu.perServerCpuPercent),
      servicesCpuPercent: cpu.servicesCpuPercent,
      generatorCpuPercent: cpu.generatorCpuPercent,
      generatorSaturated: cpu.generatorCpuPercent > GENERATOR_SATURATED_PERCENT,
      generatorLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      fullClients: fullClients.length,
      fullClientsConverged: convergence.converged,
      fullClientGaps: sum(fullClients, (c) => c.gaps),
      documentsDisagreeing: convergence.documentsDisagreeing,
      drained,
      loadAverage,
    };
    return result;
  } finally {
    load.stop();
  }
}

/** Room for every change the editors can send: their rate over the whole run, with a margin. */
function ledgerCapacity(plan: LoadPlan): number {
  const editors = plan.documents * plan.editorsPerDocument;
  const seconds = plan.warmupSeconds + plan.durationSeconds + 5;
  return Math.ceil(editors * plan.changesPerSecond * seconds * 1.5) + 1024;
}

/**
 * Every full client's replica must equal (text and version) what its own node answers to
 * sync.request, and all full clients of a document must agree, whichever node they are on.
 */
async function checkConvergence(fullClients: BenchClient[]) {
  let converged = 0;
  await Promise.all(
    fullClients.map(async (client) => {
      try {
        const server = await client.requestContent();
        if (client.replica?.toString() === server.content && client.replicaVersion === server.version)
          converged++;
      } catch {
        // counted as not converged
      }
    }),
  );
  const finalStateOf = new Map<number, string>();
  const disagreeing = new Set<number>();
  for (const client of fullClients) {
    const state = `${client.replicaVersion}:${client.replica?.toString() ?? ''}`;
    const first = finalStateOf.get(client.doc);
    if (first === undefined) finalStateOf.set(client.doc, state);
    else if (first !== state) disagreeing.add(client.doc);
  }
  return { converged, documentsDisagreeing: disagreeing.size };
}

function nodeFigures(target: LoadTarget, specs: ClientSpec[], cpuPercent: number[]): NodeFigures[] {
  return target.wsUrls.map((wsUrl, node) => {
    const on = specs.filter((spec) => spec.node === node);
    return {
      wsUrl,
      editors: on.filter((spec) => spec.role.send).length,
      observers: on.filter((spec) => !spec.role.send && spec.role.observe).length,
      fullClients: on.filter((spec) => spec.role.full).length,
      cpuPercent: cpuPercent[node] ?? 0,
      peakRssMiB: processMemory(target.pids[node]!).peakRss / 2 ** 20,
    };
  });
}

function sum<T>(items: T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}
