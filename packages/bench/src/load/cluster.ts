/**
 * A bench cluster: N server nodes (three by default) sharing one fresh PostgreSQL schema and one
 * Redis key prefix, each started by the scenario's StartServer (a pinned process from dist, or an
 * in-process server in the tests) with the same JWT secret and its own SERVER_ID. Stopping it
 * stops every node, then removes the schema and keys; Ctrl-C or SIGTERM does the same.
 */
import { type ClusterServices, createClusterServices, type ServiceUrls } from './cluster-services.js';
import { cleanUpOnInterrupt } from './interrupt.js';
import { type LoadTarget, targetOf } from './load-target.js';
import type { StartServer } from './scenarios/editors.js';
import { type BenchServer, newSecret, type ServerProcessOptions } from './server-process.js';

/** The processes whose CPU is reported beside the nodes' (they float over both cores). */
export const CLUSTER_SERVICES = ['postgres', 'redis-server'];
const READY_TIMEOUT_MS = 30_000;

export interface ClusterOptions {
  startServer: StartServer;
  serverOptions?: ServerProcessOptions;
  nodes?: number;
  services?: ServiceUrls;
}

export interface BenchCluster {
  nodes: BenchServer[];
  target: LoadTarget;
  /** Node 1's settings (the others differ only in SERVER_ID) and the services'. */
  settings: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Every node's /readyz: storage and Redis answer. /healthz (what a start waits for) does not
 * wait for the Redis subscriber, and a change published before it listens would reach that node
 * only through the periodic version check, seconds later.
 */
async function waitReady(node: BenchServer): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ready = await fetch(`${node.url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${node.url} was not ready (PostgreSQL and Redis) within ${READY_TIMEOUT_MS / 1000} s`);
}

/**
 * Node 1's settings without what the services report better (no password), the per-node id, and
 * SQLite's setting (PostgreSQL stores everything; its synchronous_commit is what applies).
 */
function clusterSettings(
  node: BenchServer,
  services: ClusterServices,
  count: number,
): Record<string, string> {
  const hidden = new Set(['SERVER_ID', 'SQLITE_SYNCHRONOUS', ...Object.keys(services.env)]);
  const own = Object.entries(node.settings).filter(([key]) => !hidden.has(key));
  return { nodes: String(count), ...Object.fromEntries(own), ...services.settings };
}

async function stopAll(nodes: readonly BenchServer[], services: ClusterServices): Promise<void> {
  await Promise.allSettled(nodes.map((node) => node.stop()));
  await services.remove();
}

export async function startCluster(options: ClusterOptions): Promise<BenchCluster> {
  const count = options.nodes ?? 3;
  const services = await createClusterServices(options.services);
  const secret = newSecret();
  const nodes: BenchServer[] = [];
  const cleanup = () => stopAll(nodes, services);
  const release = cleanUpOnInterrupt(cleanup);
  const starts = Array.from({ length: count }, (_, i) =>
    options
      .startServer({
        ...options.serverOptions,
        secret,
        env: {
          ...options.serverOptions?.env,
          ...services.env,
          SERVER_ID: `bench-node-${i + 1}`,
          // The server's defaults, set so that the report shows them.
          CLUSTER_CHECK_INTERVAL_MS: '5000',
          PRESENCE_TTL_MS: '15000',
        },
      })
      .then((node) => {
        nodes[i] = node;
        return node;
      }),
  );
  try {
    const started = await Promise.all(starts);
    await Promise.all(started.map(waitReady));
  } catch (error) {
    // Wait for the starts still running, so that no node is left behind.
    await Promise.allSettled(starts);
    // Report the start's error (it explains the failure), not a later removal error it would hide.
    await cleanup().catch(() => undefined);
    release();
    throw error;
  }
  let stopping: Promise<void> | null = null;
  return {
    nodes,
    target: targetOf(nodes, CLUSTER_SERVICES),
    settings: clusterSettings(nodes[0]!, services, count),
    stop: () => {
      stopping ??= cleanup().finally(release);
      return stopping;
    },
  };
}
