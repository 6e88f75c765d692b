/**
 * The WebSocket collaboration server. The only module that knows the `ws` server object: it
 * gates upgrades (upgrade.ts), turns accepted sockets into sessions (connection.ts), keeps them
 * alive (heartbeat.ts) and shuts them down gracefully.
 *
 * Wiring: `server.on('upgrade', (req, socket, head) => collab.handleUpgrade(req, socket, head))`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode, PROTOCOL_NAME, type PresenceUser } from '@jd-collab/protocol';
import { WebSocket, WebSocketServer } from 'ws';
import { Cluster } from './cluster.js';
import type { MetaEvent } from './cluster-sync.js';
import { attachConnection } from './connection.js';
import { type Deletion, deletedError } from './deletion.js';
import { Heartbeat } from './heartbeat.js';
import { RoomRegistry } from './room-registry.js';
import type { Session } from './session.js';
import type { CollabDeps, CollabServer } from './types.js';
import { authorizeUpgrade, refusal, writeRefusal } from './upgrade.js';
import { encode } from './wire.js';

export type {
  ClusterDeps,
  CollabConfig,
  CollabDeps,
  CollabMetrics,
  CollabServer,
  CollabStats,
  TokenVerifier,
} from './types.js';

/** What clients are told to wait before reconnecting after a shutdown. */
const RECONNECT_AFTER_MS = 2_000;

export function createCollabServer(deps: CollabDeps): CollabServer {
  const { config, store, metrics } = deps;
  const logger = deps.logger.child({ component: 'collab' });
  // A 'meta' message from another node is applied exactly like a local update or delete.
  const applyMeta = (documentId: string, event: MetaEvent): void => {
    if (event.event === 'updated') rooms.documentUpdated(event.document);
    else rooms.documentDeleted(documentId, event.deletion);
  };
  const cluster = deps.cluster ? new Cluster({ ...deps.cluster, store, logger, onMeta: applyMeta }) : null;
  const rooms = new RoomRegistry({ config, store, metrics, logger }, undefined, cluster);
  const sessions = new Set<Session>();
  const heartbeat = new Heartbeat<WebSocket>(config.heartbeatIntervalMs);
  let accepting = true;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxMessageBytes,
    // No context takeover: each message is compressed on its own. ws applies its size threshold
    // only then (otherwise it deflates every message, however small: 10% of the server's core for
    // 400 browser editors, docs/benchmarks.md step 10), and no zlib window outlives a message.
    perMessageDeflate: config.compression
      ? {
          threshold: config.compressionThreshold,
          serverNoContextTakeover: true,
          clientNoContextTakeover: true,
        }
      : false,
    // Select our protocol when offered; the auth.<JWT> entry is never echoed back.
    handleProtocols: (offered) => (offered.has(PROTOCOL_NAME) ? PROTOCOL_NAME : false),
  });

  /** Opens the socket only to say DOCUMENT_DELETED (who deleted it) and close with 1008. */
  function answerDeleted(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    deletion: Deletion | null,
  ): void {
    metrics.connectionsTotal.inc({ status: 'rejected_deleted' });
    logger.info({ path: req.url?.split('?', 1)[0] }, 'upgrade for a deleted document');
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send(encode('system.error', deletedError(deletion), { version: 0 }).json);
      ws.close(CloseCode.POLICY_VIOLATION, 'Document deleted');
    });
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const refuse = (r: ReturnType<typeof refusal>): void => {
      metrics.connectionsTotal.inc({ status: r.outcome });
      logger.info({ path: req.url?.split('?', 1)[0], status: r.status, code: r.code }, 'upgrade refused');
      writeRefusal(socket, r.status, r.code, r.message);
    };
    const shuttingDown = refusal('SERVER_SHUTTING_DOWN');
    if (!accepting) {
      refuse(shuttingDown);
      return;
    }
    let decision: Awaited<ReturnType<typeof authorizeUpgrade>>;
    try {
      decision = await authorizeUpgrade(req, { config, store, tokens: deps.tokens, rooms, logger });
    } catch (error) {
      logger.error({ err: error }, 'upgrade failed: storage');
      refuse(refusal('STORAGE_UNAVAILABLE', 'The document could not be loaded; try again'));
      return;
    }
    if (decision.ok === 'deleted') {
      answerDeleted(req, socket, head, decision.deletion);
      return;
    }
    if (!decision.ok) {
      refuse(decision);
      return;
    }
    const { room } = decision;
    if (!accepting || socket.destroyed) {
      rooms.release(room);
      if (!accepting) refuse(shuttingDown);
      return;
    }
    // ws may refuse the handshake itself (bad Sec-WebSocket-Key, ...) without calling back:
    // the pin taken for this connection must then be dropped when the socket goes away.
    let attached = false;
    socket.once('close', () => {
      if (!attached) rooms.release(room);
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      attached = true;
      const session = attachConnection(
        ws,
        { principal: decision.principal, canWrite: decision.canWrite, room },
        {
          config,
          store,
          metrics,
          logger,
          onClosed: (closed, closedRoom) => {
            sessions.delete(closed);
            heartbeat.untrack(ws);
            metrics.activeConnections.dec();
            metrics.connectionsTotal.inc({ status: 'closed' });
            rooms.release(closedRoom);
          },
        },
      );
      sessions.add(session);
      heartbeat.track(ws);
      metrics.connectionsTotal.inc({ status: 'accepted' });
      metrics.activeConnections.inc();
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      // Until ws takes the socket over, a reset by the peer must not become an uncaught error.
      const onError = (): void => {
        socket.destroy();
      };
      socket.on('error', onError);
      return upgrade(req, socket, head)
        .catch((error: unknown) => {
          logger.error({ err: error }, 'upgrade crashed');
          writeRefusal(socket, 500, 'INTERNAL_ERROR', 'Internal server error');
        })
        .finally(() => socket.off('error', onError));
    },

    presenceOf(documentId: string): PresenceUser[] {
      return rooms.get(documentId)?.users() ?? [];
    },

    stats() {
      return { connections: sessions.size, documents: rooms.size };
    },

    documentUpdated(meta) {
      const event: MetaEvent = {
        event: 'updated',
        document: {
          documentId: meta.id,
          title: meta.title,
          department: meta.department,
          status: meta.status,
          posting: meta.posting,
          // Set by every update; null only for a document nobody has touched since it was created.
          updatedBy: meta.updatedBy ?? meta.createdBy,
          updatedByName: meta.updatedByName ?? meta.updatedBy ?? meta.createdBy,
          updatedAt: meta.updatedAt,
        },
      };
      applyMeta(meta.id, event);
      cluster?.publishMeta(meta.id, event);
    },

    documentDeleted(documentId, deletion) {
      const event: MetaEvent = { event: 'deleted', deletion };
      applyMeta(documentId, event);
      cluster?.publishMeta(documentId, event);
    },

    async shutdown() {
      if (!accepting) return;
      accepting = false;
      heartbeat.stop();
      const deadline = Date.now() + config.shutdownTimeoutMs;
      for (const session of sessions) {
        const room = rooms.get(session.documentId);
        session.deliver(
          encode(
            'system.reconnect',
            { reason: 'server shutting down', retryAfter: RECONNECT_AFTER_MS },
            { version: room?.version ?? session.lastSentVersion },
          ),
        );
      }
      // Changes already received are committed and acked before the sockets close.
      await withDeadline(Promise.all(rooms.all().map((room) => room.pipeline.idle())), deadline);
      for (const session of [...sessions]) session.close(CloseCode.SERVICE_RESTART, 'Server restarting');
      await withDeadline(rooms.closeAll(), deadline);
      // The 'left' of every session and the last publishes, before the broker is closed.
      await withDeadline(cluster?.close() ?? Promise.resolve(), deadline);
      await withDeadline(allClosed(wss), deadline);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      logger.info('collaboration server stopped');
    },
  };
}

function withDeadline(work: Promise<unknown>, deadline: number): Promise<void> {
  const ms = Math.max(0, deadline - Date.now());
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

/** Resolves when every client socket finished its close handshake. */
function allClosed(wss: WebSocketServer): Promise<void> {
  const pending = [...wss.clients].filter((ws) => ws.readyState !== WebSocket.CLOSED);
  return Promise.all(
    pending.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve()))),
  ).then(() => undefined);
}
