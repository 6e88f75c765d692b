/**
 * Scenario 5: scenario 1 (one document, N editors, observers, full clients) across a cluster of
 * three nodes sharing PostgreSQL and Redis. Every role is spread round-robin over the nodes and
 * connects to its node directly (no nginx), so a change typically travels: editor -> node A ->
 * PostgreSQL commit (the document's row lock serialises the three nodes) -> Redis -> nodes B, C ->
 * their observers. Each N gets a fresh cluster (new nodes, schema and key prefix), so every row's
 * CPU and memory are its own. Only core 0 runs nodes (like scenario 1's single server), so this
 * measures what clustering costs on the same CPU budget, not how it scales.
 */
import type { Row } from '../../report.js';
import { type BenchCluster, type ClusterOptions, startCluster } from '../cluster.js';
import type { ServiceUrls } from '../cluster-services.js';
import { runLoad } from '../run-load.js';
import { clusterMetrics } from '../server-metrics.js';
import { type EditorsRun, editorsRow, type OneDocumentOptions, sweepEditors } from './editors.js';

export interface ClusterSweepOptions extends OneDocumentOptions {
  nodes?: number;
  services?: ServiceUrls;
}

/** Connecting plus setting up a cluster run is given this long on top of its own timeline. */
const RUN_SLACK_SECONDS = 120;

async function withCluster<T>(options: ClusterOptions, work: (cluster: BenchCluster) => Promise<T>) {
  const cluster = await startCluster(options);
  try {
    return { cluster, value: await work(cluster) };
  } finally {
    await cluster.stop();
  }
}

/** Rejects when `work` takes longer than `seconds` (the caller's finally then stops the nodes). */
async function within<T>(seconds: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${seconds} s`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function runCluster(options: ClusterSweepOptions): Promise<EditorsRun[]> {
  const log = options.log ?? (() => undefined);
  const clusterOptions: ClusterOptions = {
    startServer: options.startServer,
    serverOptions: options.serverOptions,
    nodes: options.nodes,
    services: options.services,
  };
  return sweepEditors(options, 'scenario 5', async (plan) => {
    const bound = plan.warmupSeconds + plan.durationSeconds + plan.drainTimeoutSeconds + RUN_SLACK_SECONDS;
    const { cluster, value } = await withCluster(clusterOptions, async (c) => {
      const result = await within(bound, 'a cluster run', runLoad(c.target, plan, log));
      return { result, serverMetrics: await clusterMetrics(c.nodes.map((node) => node.url)) };
    });
    return { settings: cluster.settings, ...value };
  });
}

const percent = (value: number | undefined) => Math.round(value ?? 0);

/**
 * Scenario 1's columns with the node count after the label, and at the end: per-node and service
 * CPU, and the nodes' commitChanges calls (committed or lost to another node), getChanges reads
 * (mostly catch-ups after a lost race) and mean commitChanges time, over the whole run: they
 * show the nodes racing for the document's row lock.
 */
export function clusterRow(run: EditorsRun): Row {
  const { run: label, ...columns } = editorsRow(run);
  const r = run.result;
  const m = run.serverMetrics;
  return {
    run: label ?? run.label,
    nodes: r.perNode.length,
    ...columns,
    'CPU % per node': r.perNode.map((node) => percent(node.cpuPercent)).join('/'),
    'postgres CPU %': percent(r.servicesCpuPercent.postgres),
    'redis CPU %': percent(r.servicesCpuPercent['redis-server']),
    'commit calls': m?.commitCalls ?? '?',
    'catch-up reads': m?.getChangesCalls ?? '?',
    'commit call ms': m ? (m.commitSeconds / Math.max(1, m.commitCalls)) * 1000 : '?',
  };
}
