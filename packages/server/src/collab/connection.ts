/**
 * Binds one accepted ws socket to a Session in its DocumentRoom: inbound frames are rate limited
 * on arrival, validated with the protocol's parseFrame, then handled strictly in order; the room
 * is left and released when the socket closes.
 */
import { type ClientMessage, CloseCode, parseFrame } from '@jd-collab/protocol';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import type { DocumentStore } from '../storage/types.js';
import type { DocumentRoom } from './document-room.js';
import { IdleTimer } from './heartbeat.js';
import { type HandlerContext, handleMessage, sendError, sendErrorPayload } from './message-handlers.js';
import { RateLimiter } from './rate-limiter.js';
import { type PeerSocket, Session } from './session.js';
import type { CollabConfig, CollabMetrics, Principal } from './types.js';

export interface ConnectionDeps {
  config: CollabConfig;
  store: DocumentStore;
  metrics: CollabMetrics;
  logger: Logger;
  /** Called once when the socket is gone, after the session left the room. */
  onClosed(session: Session, room: DocumentRoom): void;
}

export interface Admission {
  principal: Principal;
  canWrite: boolean;
  room: DocumentRoom;
}

function peerSocket(ws: WebSocket): PeerSocket {
  return {
    send: (frame, compress) => {
      // A Buffer would go out as a binary frame by default; it holds JSON text. compress: false
      // sends this message uncompressed even when permessage-deflate was negotiated (RSV1 is per
      // message); ws still applies its threshold to the others.
      if (ws.readyState === ws.OPEN) ws.send(frame, { binary: false, compress });
    },
    close: (code, reason) => ws.close(code, reason),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
  };
}

export function attachConnection(ws: WebSocket, admission: Admission, deps: ConnectionDeps): Session {
  const { config, metrics } = deps;
  const { room } = admission;
  const session = new Session({
    principal: admission.principal,
    documentId: room.documentId,
    canWrite: admission.canWrite,
    socket: peerSocket(ws),
    limiter: new RateLimiter({ perSecond: config.rateLimitPerSecond, perMinute: config.rateLimitPerMinute }),
    metrics,
    logger: deps.logger,
    maxBufferedBytes: Math.max(16 * config.maxMessageBytes, 16 * 1024 * 1024),
  });
  const ctx: HandlerContext = { room, session, store: deps.store, metrics };
  const idle = new IdleTimer(config.idleTimeoutMs, () => {
    session.log.info('closing idle session');
    session.close(CloseCode.HEARTBEAT_TIMEOUT, 'Idle timeout');
  });

  const expiry = expiryTimer(admission.principal.expiresAt, () => {
    // The token was the proof of access: when it expires the session ends; the client reconnects
    // with a fresh token.
    sendError(ctx, 'TOKEN_EXPIRED', 'Your session token expired; reconnect with a new one');
    session.close(CloseCode.POLICY_VIOLATION, 'Token expired');
  });

  ws.on('message', (data, isBinary) => {
    idle.touch();
    if (session.closed) return;
    const text = isBinary ? null : rawToString(data);
    if (!admit(ctx, text, metrics)) return;
    const bytes = rawLength(data);
    session.inbound = session.inbound
      .then(() => processFrame(ctx, text, bytes, config, metrics))
      .catch((error: unknown) => {
        session.log.error({ err: error }, 'unexpected error while handling a frame');
        sendError(ctx, 'INTERNAL_ERROR');
        session.close(CloseCode.INTERNAL_ERROR, 'Internal error');
      });
  });
  ws.on('close', (code) => {
    idle.stop();
    if (expiry) clearTimeout(expiry);
    session.dispose();
    room.leave(session);
    session.log.info({ code }, 'session closed');
    deps.onClosed(session, room);
  });
  ws.on('error', (error) => {
    // ws closes the socket after an error (e.g. 1009 for an oversized frame); log it only.
    session.log.warn({ err: error }, 'socket error');
  });

  room.join(session);
  session.log.info({ canWrite: session.canWrite }, 'session opened');
  return session;
}

/** The rate limit, checked on arrival (not when the frame's turn comes). False: refused. */
function admit(ctx: HandlerContext, text: string | null, metrics: CollabMetrics): boolean {
  const decision = ctx.session.limiter.check();
  if (decision.allowed) return true;
  metrics.rateLimited.inc();
  const { correlationId, changeId } = peekIds(text);
  sendError(ctx, 'RATE_LIMITED', undefined, { retryAfter: decision.retryAfter, correlationId, changeId });
  if (decision.abusive) {
    ctx.session.log.warn('closing a session that keeps exceeding the rate limit');
    ctx.session.close(CloseCode.POLICY_VIOLATION, 'Rate limit exceeded');
  }
  return false;
}

async function processFrame(
  ctx: HandlerContext,
  text: string | null,
  bytes: number,
  config: CollabConfig,
  metrics: CollabMetrics,
): Promise<void> {
  const { session } = ctx;
  if (session.closed) return;
  if (text === null) {
    metrics.messagesTotal.inc({ type: 'binary', direction: 'in' });
    sendError(ctx, 'INVALID_MESSAGE', 'Binary frames are not supported; send JSON text frames');
    return;
  }
  const { results } = parseFrame(text, { maxFrameBytes: config.maxMessageBytes });
  for (const result of results) {
    if (session.closed) return;
    if (!result.ok) {
      metrics.messagesTotal.inc({ type: result.type ?? 'invalid', direction: 'in' });
      sendErrorPayload(ctx, result.error);
      continue;
    }
    const message: ClientMessage = result.message;
    metrics.messagesTotal.inc({ type: message.type, direction: 'in' });
    metrics.messageSize.observe({ type: message.type }, bytes / results.length);
    const t0 = performance.now();
    await handleMessage(ctx, message);
    if (message.type !== 'document.change') {
      metrics.messageLatency.observe({ type: message.type }, (performance.now() - t0) / 1000);
    }
  }
}

/** setTimeout can wait at most 2^31 - 1 ms; a token valid for longer than that is checked on reconnect. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function expiryTimer(expiresAt: number | null, onExpired: () => void): NodeJS.Timeout | null {
  if (expiresAt === null) return null;
  const delay = Math.max(0, expiresAt - Date.now());
  if (delay > MAX_TIMER_MS) return null;
  const timer = setTimeout(onExpired, delay);
  timer.unref();
  return timer;
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** correlationId/changeId of a single-envelope frame, for the RATE_LIMITED answer (best effort). */
function peekIds(text: string | null): { correlationId?: string; changeId?: string } {
  if (text === null || text.length > 64 * 1024) return {};
  try {
    const value = JSON.parse(text) as {
      metadata?: { correlationId?: unknown };
      payload?: { changeId?: unknown };
    };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const correlationId = value.metadata?.correlationId;
    const changeId = value.payload?.changeId;
    return {
      ...(typeof correlationId === 'string' && correlationId.length <= 128 ? { correlationId } : {}),
      ...(typeof changeId === 'string' && /^[A-Za-z0-9_\-:.]{1,64}$/.test(changeId) ? { changeId } : {}),
    };
  } catch {
    return {};
  }
}
