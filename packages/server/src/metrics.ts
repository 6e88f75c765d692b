/**
 * Prometheus metrics. Each `createMetrics()` owns its own Registry (never the global one), so
 * tests and several servers in one process do not collide.
 *
 * Field names are what the collaboration core expects (collab/types.ts CollabMetrics); the
 * Prometheus names are in each metric's `name`.
 *
 * Label values are always bounded sets (message types, statuses, route patterns), never ids.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type ConnectionStatus =
  | 'accepted'
  | 'rejected_auth'
  | 'rejected_forbidden'
  | 'rejected_origin'
  | 'rejected_invalid'
  | 'rejected_not_found'
  | 'rejected_shutdown'
  | 'closed';

export type MessageDirection = 'in' | 'out';

export interface Metrics {
  readonly registry: Registry;
  /** websocket_connections_total{status}: upgrade outcomes and closes. */
  readonly connectionsTotal: Counter<'status'>;
  readonly activeConnections: Gauge;
  /** websocket_messages_total{type,direction}: direction 'in' (from clients) or 'out'. */
  readonly messagesTotal: Counter<'type' | 'direction'>;
  readonly messageSize: Histogram<'type'>;
  /** Time from receiving a client message to having processed it (ack sent for changes). */
  readonly messageLatency: Histogram<'type'>;
  readonly documentsOpen: Gauge;
  readonly changesCommitted: Counter;
  /** Transforms of an incoming change against concurrent ones it had not seen. */
  readonly transforms: Counter;
  /** conflict.detected sent (the client had to resync). */
  readonly conflicts: Counter;
  readonly storageLatency: Histogram<'operation'>;
  readonly rateLimited: Counter;
  /** collab_resyncs_total{answer,reason}: sync.request answered with changes or a snapshot, and why. */
  readonly resyncs: Counter<'answer' | 'reason'>;
  /** REST requests refused by a rate limit (http/rate-limits.ts), by limit. */
  readonly httpRateLimited: Counter<'limit'>;
  /** Connections closed or upgrades refused before they became requests (connection-guard.ts). */
  readonly connectionsRefused: Counter<'reason'>;
  readonly httpRequestDurationSeconds: Histogram<'method' | 'route' | 'status_code'>;
  /** dependency_breaker_state{dependency}: 0 closed, 1 half-open, 2 open (resilient-policy.ts). */
  readonly breakerState: Gauge<'dependency'>;
  /** dependency_failures_total{dependency,reason}: timeout, breaker_open (refused unasked) or error. */
  readonly dependencyFailures: Counter<'dependency' | 'reason'>;
  /** Text exposition for GET /metrics. */
  render(): Promise<string>;
  readonly contentType: string;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  return {
    registry,
    connectionsTotal: new Counter({
      name: 'websocket_connections_total',
      help: 'WebSocket connection attempts and closes, by outcome',
      labelNames: ['status'],
      registers,
    }),
    activeConnections: new Gauge({
      name: 'websocket_active_connections',
      help: 'Open WebSocket connections',
      registers,
    }),
    messagesTotal: new Counter({
      name: 'websocket_messages_total',
      help: 'WebSocket messages, by type and direction (in: from clients, out: to clients)',
      labelNames: ['type', 'direction'],
      registers,
    }),
    messageSize: new Histogram({
      name: 'websocket_message_size_bytes',
      help: 'Size of WebSocket frames received, by message type',
      labelNames: ['type'],
      buckets: [64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576],
      registers,
    }),
    messageLatency: new Histogram({
      name: 'websocket_message_latency_seconds',
      help: 'Processing time of client messages, by type (for changes: until the ack is sent)',
      labelNames: ['type'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    documentsOpen: new Gauge({
      name: 'collab_documents_open',
      help: 'Documents with at least one connected session (rooms in memory)',
      registers,
    }),
    changesCommitted: new Counter({
      name: 'collab_changes_committed_total',
      help: 'Changes committed to storage',
      registers,
    }),
    transforms: new Counter({
      name: 'collab_transforms_total',
      help: 'Incoming changes transformed against concurrent changes',
      registers,
    }),
    conflicts: new Counter({
      name: 'collab_conflicts_total',
      help: 'Conflicts that required a client resync (conflict.detected)',
      registers,
    }),
    storageLatency: new Histogram({
      name: 'storage_operation_duration_seconds',
      help: 'Duration of storage operations, by operation',
      labelNames: ['operation'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    rateLimited: new Counter({
      name: 'rate_limited_total',
      help: 'Client messages refused by the rate limiter',
      registers,
    }),
    resyncs: new Counter({
      name: 'collab_resyncs_total',
      help: 'sync.request answers: answer=changes (reason memory|storage) or snapshot (reason requested|ahead|compacted)',
      labelNames: ['answer', 'reason'],
      registers,
    }),
    httpRateLimited: new Counter({
      name: 'http_rate_limited_total',
      help: 'REST requests refused by a rate limit, by limit (sign_in, create, write)',
      labelNames: ['limit'],
      registers,
    }),
    connectionsRefused: new Counter({
      name: 'http_connections_refused_total',
      help: 'Connections closed before completing a request, and upgrades refused, by reason',
      labelNames: ['reason'],
      registers,
    }),
    httpRequestDurationSeconds: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    breakerState: new Gauge({
      name: 'dependency_breaker_state',
      help: 'Circuit breaker per dependency (storage_read, storage_write, pubsub, presence): 0 closed, 1 half-open, 2 open',
      labelNames: ['dependency'],
      registers,
    }),
    dependencyFailures: new Counter({
      name: 'dependency_failures_total',
      help: 'Failed calls to a dependency, by reason: timeout, breaker_open (refused without asking) or error',
      labelNames: ['dependency', 'reason'],
      registers,
    }),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
