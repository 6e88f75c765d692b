/**
 * Starts the whole server: storage (migrated and seeded), pub/sub and presence between nodes,
 * tokens, metrics, the HTTP app and the collaboration core on one HTTP server, and stops it
 * gracefully. Storage: PostgreSQL with DATABASE_URL, else SQLite. Pub/sub and presence: Redis
 * with REDIS_URL, else in-process (one node).
 *
 * Graceful shutdown (`close()`), bounded by config.shutdownTimeoutMs:
 * 1. /readyz answers 503 and new WebSocket upgrades are refused, so load balancers drain us;
 * 2. the listening socket closes (no new connections; idle keep-alive connections are closed);
 * 3. the collaboration core tells clients to reconnect (system.reconnect), finishes the commits
 *    in flight (so every change it received is acked or refused, never lost) and closes the
 *    sockets with 1012;
 * 4. in-flight HTTP requests finish and the app closes; then pub/sub, presence and the store close.
 * On timeout the remaining connections are cut, and the store is closed anyway.
 *
 * Once storage is initialised, the store, pub/sub and presence are used only through their
 * resilient-*.ts wrappers (a timeout and a circuit breaker per dependency), so a stalled database
 * or Redis refuses work promptly instead of hanging rooms.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { DOCUMENT_PATH_PREFIX, type ErrorCode, ErrorCodes } from '@jd-collab/protocol';
import { createTokenService } from './auth/tokens.js';
import { type CollabServer, createCollabServer } from './collab/index.js';
import type { Config } from './config.js';
import { scheduleCompaction } from './documents/compact-history.js';
import { scheduleTrashPurge } from './documents/purge-trash.js';
import { buildApp } from './http/app.js';
import { trustProxy } from './http/client-address.js';
import { guardConnections } from './http/connection-guard.js';
import type { App, Readiness } from './http/types.js';
import { instrumentStore } from './instrumented-store.js';
import { ensureJwtSecret } from './jwt-secret.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import {
  type BrokerConfig,
  createPresenceRegistry,
  createPubSub,
  type PresenceRegistry,
  type PubSub,
} from './pubsub/index.js';
import { isBrokerFailure, resilientPresence, resilientPubSub } from './resilient-broker.js';
import { createGuards } from './resilient-guards.js';
import { isStoreFailure, resilientStore } from './resilient-store.js';
import { seedIfEmpty } from './seed/index.js';
import type { DocumentStore } from './storage/types.js';
import { createStore } from './storage-factory.js';
import { initStorage } from './storage-startup.js';

export interface ServerOverrides {
  /** Use this store instead of SQLite in DATA_DIR. The server takes ownership: close() closes it. */
  store?: DocumentStore;
  logger?: Logger;
  /** Seed the example job descriptions into an empty store (default true). */
  seed?: boolean;
  /** Use these instead of the ones REDIS_URL selects (closed by close(), like the store). */
  pubsub?: PubSub;
  presence?: PresenceRegistry;
}

export interface RunningServer {
  app: App;
  /** http://host:port, with the actual port (config.port may be 0). */
  url: string;
  /** The store as the server uses it: behind timeouts and circuit breakers. */
  store: DocumentStore;
  metrics: Metrics;
  collab: CollabServer;
  /** Graceful shutdown; idempotent (every call returns the same promise). */
  close(): Promise<void>;
}

export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const logger = overrides.logger ?? createLogger(config);
  const jwtSecret = ensureJwtSecret(config, logger);
  const effective: Config = { ...config, jwtSecret };

  const backend =
    overrides.store ??
    createStore(config, (error) => logger.warn({ err: error }, 'idle PostgreSQL connection failed'));
  try {
    await initStorage(backend, logger, { timeoutMs: config.databaseStartTimeoutMs });
    if (overrides.seed !== false) {
      const seeded = await seedIfEmpty(backend);
      if (seeded > 0) logger.info({ count: seeded }, 'seeded example documents');
    }
  } catch (error) {
    await backend.close().catch(() => undefined);
    throw error;
  }

  const metrics = createMetrics();
  // From here on every storage and Redis call has a timeout and a circuit breaker: a stalled
  // dependency refuses edits promptly (STORAGE_UNAVAILABLE, retryAfter) instead of hanging rooms.
  const guards = createGuards(config, { storage: isStoreFailure, broker: isBrokerFailure }, metrics, logger);
  const store = resilientStore(backend, { read: guards.storageRead, write: guards.storageWrite });

  const broker = brokerConfig(config);
  const alone = !config.databaseUrl && !config.redisUrl && !overrides.pubsub;
  const pubsub = resilientPubSub(overrides.pubsub ?? createPubSub(broker), guards.pubsub);
  const presence = resilientPresence(
    overrides.presence ??
      createPresenceRegistry(broker, (error) => logger.warn({ err: error }, 'Redis presence connection')),
    guards.presence,
  );
  const closeBroker = async (): Promise<void> => {
    await Promise.all([pubsub.close(), presence.close()]).catch((error: unknown) =>
      logger.error({ err: error }, 'closing pub/sub failed'),
    );
  };
  if (pubsub.kind !== 'memory') logger.info({ broker: pubsub.kind, serverId: config.serverId }, 'pub/sub');

  const tokens = createTokenService(jwtSecret, config.jwtProvider ?? undefined);
  if (config.jwtProvider) {
    const { jwksUrl, issuer, audience } = config.jwtProvider;
    logger.info({ jwksUrl, issuer, audience }, 'accepting RS256/ES256 tokens from the identity provider');
  }
  const readiness: Readiness = { shuttingDown: false };
  // The collaboration core times its own storage calls; the HTTP API's are timed by the wrapper.
  const collab = createCollabServer({
    config: effective,
    store,
    tokens,
    metrics,
    logger,
    // Alone (local storage, in-process delivery) nobody else can commit or hear us: no cluster
    // sync, so committed changes are not encoded for a broker only this node listens to.
    cluster: alone
      ? undefined
      : {
          serverId: config.serverId,
          pubsub,
          presence,
          presenceTtlMs: config.presenceTtlMs,
          checkIntervalMs: config.clusterCheckIntervalMs,
        },
  });
  let app: App | undefined;
  try {
    app = await buildApp({
      config: effective,
      store: instrumentStore(store, metrics),
      tokens,
      metrics,
      logger,
      collab,
      readiness,
      broker: pubsub,
    });
    const guard = guardConnections(app.server, {
      upgradeTimeoutMs: config.upgradeTimeoutMs,
      maxConnectionsPerIp: config.maxConnectionsPerIp,
      maxUpgradesPerIp: config.maxUpgradesPerIp,
      trust: trustProxy(config.trustProxy),
      onRefused: (reason, address) => {
        metrics.connectionsRefused.inc({ reason });
        logger.debug({ reason, address }, 'connection refused');
      },
    });
    app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
      if (readiness.shuttingDown) {
        refuseUpgrade(socket, 'SERVER_SHUTTING_DOWN');
      } else if (!path.startsWith(DOCUMENT_PATH_PREFIX)) {
        refuseUpgrade(socket, null);
      } else if (!guard.admitUpgrade(req, socket)) {
        refuseUpgrade(socket, 'TOO_MANY_CONNECTIONS');
      } else {
        void collab.handleUpgrade(req, socket, head).then(() => guard.upgradeAnswered(socket));
        return;
      }
      guard.upgradeAnswered(socket);
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    // e.g. EADDRINUSE: release what was opened, so the caller can retry or exit cleanly.
    await collab.shutdown().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await closeBroker();
    await store.close().catch(() => undefined);
    throw error;
  }
  const url = urlOf(app.server.address() as AddressInfo);
  const stopCompaction =
    config.changeRetentionMs > 0
      ? scheduleCompaction(
          store,
          { retentionMs: config.changeRetentionMs, intervalMs: config.compactionIntervalMs },
          logger,
        )
      : async () => undefined;
  const stopTrashPurge =
    config.trashRetentionMs > 0
      ? scheduleTrashPurge(
          store,
          { retentionMs: config.trashRetentionMs, intervalMs: config.compactionIntervalMs },
          logger,
        )
      : async () => undefined;

  let closing: Promise<void> | null = null;
  const shutdown = async (): Promise<void> => {
    logger.info('shutting down');
    readiness.shuttingDown = true;
    app.server.close(); // stop accepting; app.close() below waits for the connections to end
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs);
    });
    const graceful = (async () => {
      await collab.shutdown();
      await app.close();
      return 'done' as const;
    })().catch((error: unknown) => {
      logger.error({ err: error }, 'error during shutdown');
      return 'failed' as const;
    });
    const outcome = await Promise.race([graceful, timedOut]);
    clearTimeout(timer);
    if (outcome !== 'done') {
      logger.warn({ outcome }, 'graceful shutdown incomplete: cutting remaining connections');
      app.server.closeAllConnections();
    }
    await closeBroker();
    await stopCompaction();
    await stopTrashPurge();
    await store.close().catch((error: unknown) => logger.error({ err: error }, 'closing the store failed'));
    logger.info('server stopped');
  };

  return {
    app,
    url,
    store,
    metrics,
    collab,
    close: () => {
      closing ??= shutdown();
      return closing;
    },
  };
}

function brokerConfig(config: Config): BrokerConfig {
  return {
    redisUrl: config.redisUrl ?? undefined,
    keyPrefix: config.redisKeyPrefix,
    // CLIENT SETNAME allows printable ASCII without spaces only.
    connectionName: `jd-collab-${config.serverId}`.replace(/[^!-~]/g, '_'),
  };
}

function urlOf(address: AddressInfo): string {
  const { address: host, port } = address;
  if (host === '0.0.0.0' || host === '::') return `http://localhost:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Answers an upgrade we do not handle with a plain HTTP error and closes the socket. */
function refuseUpgrade(socket: Duplex, code: ErrorCode | null): void {
  socket.on('error', () => socket.destroy());
  const status = code === null ? 404 : ErrorCodes[code].httpStatus;
  const body = JSON.stringify(
    code === null
      ? { code: 'NOT_FOUND', message: 'No WebSocket endpoint at this path' }
      : { code, message: ErrorCodes[code].message },
  );
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
