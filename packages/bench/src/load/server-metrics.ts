/**
 * A few of the server's own Prometheus counters (GET /metrics), summed over a cluster's nodes at
 * the end of a run: they tell where a commit's time goes and how often nodes lost the race for a
 * document (a commit attempt refused with version-taken costs a catch-up read and a retry).
 * Totals over the whole run (set-up and warm-up included), not just the measured window.
 */
export interface ServerMetrics {
  changesCommitted: number;
  /** Changes refused with conflict.detected (the server gave up retrying). */
  conflicts: number;
  transforms: number;
  /** commitChanges calls (attempts, whether they committed or lost to another node) and their time. */
  commitCalls: number;
  commitSeconds: number;
  /** getChanges calls (catch-ups after a lost race, gaps in pub/sub, version checks) and their time. */
  getChangesCalls: number;
  getChangesSeconds: number;
}

const EMPTY: ServerMetrics = {
  changesCommitted: 0,
  conflicts: 0,
  transforms: 0,
  commitCalls: 0,
  commitSeconds: 0,
  getChangesCalls: 0,
  getChangesSeconds: 0,
};

/** The value of one series (`name` with `label` among its labels, if given), 0 when absent. */
function series(text: string, name: string, label?: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (label !== undefined && !line.includes(label))) continue;
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name) total += Number(match[3]);
  }
  return total;
}

export function parseMetrics(text: string): ServerMetrics {
  const commit = 'operation="commitChanges"';
  const getChanges = 'operation="getChanges"';
  return {
    changesCommitted: series(text, 'collab_changes_committed_total'),
    conflicts: series(text, 'collab_conflicts_total'),
    transforms: series(text, 'collab_transforms_total'),
    commitCalls: series(text, 'storage_operation_duration_seconds_count', commit),
    commitSeconds: series(text, 'storage_operation_duration_seconds_sum', commit),
    getChangesCalls: series(text, 'storage_operation_duration_seconds_count', getChanges),
    getChangesSeconds: series(text, 'storage_operation_duration_seconds_sum', getChanges),
  };
}

/** Every node's metrics, summed; null when a node did not answer (the figures would mislead). */
export async function clusterMetrics(urls: readonly string[]): Promise<ServerMetrics | null> {
  try {
    const texts = await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
        if (!response.ok) throw new Error(`${url}/metrics: HTTP ${response.status}`);
        return response.text();
      }),
    );
    return texts.map(parseMetrics).reduce(
      (sum, m) => {
        for (const key of Object.keys(sum) as (keyof ServerMetrics)[]) sum[key] += m[key];
        return sum;
      },
      { ...EMPTY },
    );
  } catch {
    return null;
  }
}
