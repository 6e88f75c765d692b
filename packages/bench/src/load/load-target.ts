/**
 * What a load run drives: one server, or the nodes of a cluster. The clients connect straight to
 * the nodes' URLs (no load balancer in between), so the run decides which node each client uses.
 */
import type { BenchServer } from './server-process.js';

export interface LoadTarget {
  /** ws://127.0.0.1:port of each node. */
  wsUrls: string[];
  /** Each node's process id, in the same order (CPU and memory are read from /proc). */
  pids: number[];
  /** The HS256 secret every node verifies tokens with. */
  secret: string;
  /** Command names of shared services whose CPU is measured too (e.g. postgres, redis-server). */
  services: string[];
}

/** The target made of these servers, which must share one token secret. */
export function targetOf(servers: readonly BenchServer[], services: string[] = []): LoadTarget {
  const first = servers[0];
  if (!first) throw new Error('a load target needs at least one server');
  if (servers.some((s) => s.secret !== first.secret)) {
    throw new Error('the nodes of a load target must share one JWT secret');
  }
  return {
    wsUrls: servers.map((s) => s.wsUrl),
    pids: servers.map((s) => s.pid),
    secret: first.secret,
    services,
  };
}
