/**
 * What the server does with each validated client message. Every refusal is a system.error (or
 * conflict.detected) to the sender only; the document and the connection stay as they were.
 *
 * Ordering: a session's changes are submitted as soon as they arrive (so a burst is group
 * committed), but every other message, and a simple change without baseVersion, first waits for
 * that session's earlier changes to settle; so "change, then sync.request" sees the change.
 */
import { randomUUID } from 'node:crypto';
import { normalize, type Op, OTError } from '@jd-collab/ot';
import {
  type ClientMessage,
  type ClientMessageOf,
  CloseCode,
  type ErrorCode,
  type ErrorPayload,
  normalizeChange,
  type ProtocolErrorExtra,
  protocolError,
} from '@jd-collab/protocol';
import { retryAfterOf } from '../resilient-errors.js';
import type { DocumentStore } from '../storage/types.js';
import type { SubmitResult } from './commit-pipeline.js';
import { rebasePosition, rebaseSelection } from './cursor-rebase.js';
import { announceCursor } from './cursor-throttle.js';
import type { DocumentRoom } from './document-room.js';
import type { SyncResult } from './resync.js';
import type { Session } from './session.js';
import type { CollabMetrics } from './types.js';
import { encode } from './wire.js';

export interface HandlerContext {
  room: DocumentRoom;
  session: Session;
  store: DocumentStore;
  metrics: Pick<CollabMetrics, 'messageLatency' | 'resyncs'>;
}

/** Retry hint sent with STORAGE_UNAVAILABLE when the failure carries none (no breaker open). */
const STORAGE_RETRY_MS = 1000;

export function sendError(
  ctx: Pick<HandlerContext, 'room' | 'session'>,
  code: ErrorCode,
  message?: string,
  extra: ProtocolErrorExtra = {},
): void {
  sendErrorPayload(ctx, protocolError(code, message, extra));
}

export function sendErrorPayload(ctx: Pick<HandlerContext, 'room' | 'session'>, payload: ErrorPayload): void {
  ctx.session.deliver(
    encode('system.error', payload, { version: ctx.room.version, correlationId: payload.correlationId }),
  );
}

export async function handleMessage(ctx: HandlerContext, message: ClientMessage): Promise<void> {
  const correlationId = message.metadata?.correlationId;
  const { room, session } = ctx;
  if (message.type === 'document.change') {
    await handleChange(ctx, message, correlationId);
    return;
  }
  await session.changesSettled;
  if (session.closed) return;
  switch (message.type) {
    case 'sync.request':
      await handleSync(ctx, message.payload.sinceVersion, correlationId);
      return;
    case 'document.open':
      session.deliver(room.openMessage(session, correlationId));
      return;
    case 'document.close':
      room.leave(session);
      session.close(CloseCode.NORMAL, 'Document closed');
      return;
    case 'document.save':
      await handleSave(ctx, message.payload.name, correlationId);
      return;
    case 'cursor.position': {
      const { position, version } = message.payload;
      const since = version === undefined ? [] : (room.history.since(version) ?? []);
      const at = rebasePosition(position, since, session.userId);
      const user = room.presence.setCursor(session.id, at, room.doc.length);
      if (user) announceCursor(room, session, 'cursor.position');
      return;
    }
    case 'selection.change': {
      const { anchor, head, version } = message.payload;
      const since = version === undefined ? [] : (room.history.since(version) ?? []);
      const at = rebaseSelection({ anchor, head }, since, session.userId);
      const user = room.presence.setSelection(session.id, at.anchor, at.head, room.doc.length);
      if (user) announceCursor(room, session, 'selection.change');
      return;
    }
    case 'user.presence': {
      if (room.presence.setStatus(session.id, message.payload.status)) {
        const user = room.presence.get(session.id);
        if (user) room.broadcastPresence(message.payload.status, user, session);
      }
      return;
    }
    case 'system.heartbeat': {
      const payload =
        message.payload.t === undefined
          ? { serverTime: Date.now() }
          : { t: message.payload.t, serverTime: Date.now() };
      session.deliver(encode('system.heartbeat', payload, { version: room.version, correlationId }));
      return;
    }
  }
}

async function handleSync(
  ctx: HandlerContext,
  sinceVersion: number | undefined,
  correlationId: string | undefined,
): Promise<void> {
  const { room, session } = ctx;
  let result: SyncResult;
  try {
    result = await room.sync(sinceVersion);
  } catch (error) {
    session.log.error({ err: error, sinceVersion, correlationId }, 'reading changes for a resync failed');
    sendError(ctx, 'STORAGE_UNAVAILABLE', 'The changes could not be read; try again', {
      correlationId,
      retryAfter: retryAfterOf(error) ?? STORAGE_RETRY_MS,
    });
    return;
  }
  if (session.closed) return;
  const { payload, answer } = result;
  const reason = answer.kind === 'changes' ? answer.source : answer.reason;
  ctx.metrics.resyncs.inc({ answer: answer.kind, reason });
  // A snapshot to a client that had a base means its pending edits get rebased over a diff: rare
  // by design (only a compacted or lost history), so worth a line in the log.
  if (answer.kind === 'snapshot' && sinceVersion !== undefined) {
    session.log.warn({ sinceVersion, version: payload.version, reason }, 'resync answered with a snapshot');
  }
  // The version this message brings the client to (a page may end before the latest).
  session.deliver(encode('sync.response', payload, { version: payload.version, correlationId }, true));
}

async function handleChange(
  ctx: HandlerContext,
  message: ClientMessageOf<'document.change'>,
  correlationId: string | undefined,
): Promise<void> {
  const { room, session } = ctx;
  const received = performance.now();
  const requestedId = message.payload.changeId;
  if (!session.canWrite) {
    sendError(ctx, 'FORBIDDEN', 'You have read-only access to this document', {
      correlationId,
      changeId: requestedId,
    });
    return;
  }
  let op: Op;
  let baseVersion: number | undefined;
  let changeId: string;
  try {
    const change = normalizeChange(message.payload);
    op = normalize(change.op);
    baseVersion = change.baseVersion;
    changeId = change.changeId ?? randomUUID();
  } catch (error) {
    if (!(error instanceof OTError)) throw error;
    sendError(ctx, 'INVALID_OP', error.message, { correlationId, changeId: requestedId });
    return;
  }
  if (baseVersion === undefined) {
    // "The last version the server sent", which must include this session's own earlier changes.
    await session.changesSettled;
    // A room may hold its broadcasts back for a few milliseconds (RoomFanout): send this
    // session's now, so the base includes its own acked changes, as it did when they were queued.
    session.flush();
    baseVersion = session.lastSentVersion;
  }
  if (room.presence.touch(session.id)) {
    const user = room.presence.get(session.id);
    if (user) room.broadcastPresence('active', user, session);
  }
  const submitted = room.pipeline.submit({
    changeId,
    baseVersion,
    op,
    userId: session.userId,
    userName: session.name,
    origin: { session, correlationId },
  });
  const base = baseVersion;
  const answered = submitted.then((result) => {
    ctx.metrics.messageLatency.observe({ type: 'document.change' }, (performance.now() - received) / 1000);
    answer(ctx, result, { changeId, baseVersion: base, correlationId });
  });
  // All of them, not just the latest: a retried id can be answered after a later change.
  // (.then drops the values, so settled promises do not nest arrays without end.)
  session.changesSettled = Promise.all([session.changesSettled, answered]).then(() => undefined);
}

/** Everything but a fresh commit (acked by the room, in version order) is answered here. */
function answer(
  ctx: HandlerContext,
  result: SubmitResult,
  request: { changeId: string; baseVersion: number; correlationId: string | undefined },
): void {
  const { room, session } = ctx;
  const { changeId, correlationId } = request;
  switch (result.status) {
    case 'committed':
      return;
    case 'duplicate':
      session.deliver(
        encode(
          'document.change',
          { ack: true, changeId, version: result.version },
          { version: room.version, userId: session.userId, sessionId: session.id, correlationId },
        ),
      );
      return;
    case 'conflict':
      session.deliver(
        encode(
          'conflict.detected',
          {
            changeId,
            baseVersion: result.baseVersion,
            currentVersion: result.currentVersion,
            reason: result.reason,
          },
          { version: room.version, correlationId },
        ),
      );
      return;
    case 'changeid-reused':
      sendError(
        ctx,
        'CHANGE_ID_REUSED',
        `You committed changeId ${changeId} at version ${result.version} with different content; send a new change with a new changeId`,
        { correlationId, changeId },
      );
      return;
    case 'invalid':
      sendError(ctx, 'INVALID_OP', result.message, { correlationId, changeId });
      return;
    case 'too-large':
      sendError(
        ctx,
        'DOCUMENT_TOO_LARGE',
        `The document would have ${result.length} characters; the largest allowed is ${result.limit}`,
        { correlationId, changeId },
      );
      return;
    case 'storage-error':
      // The detail may name files or hosts: it goes to the log, the client gets the registry text.
      session.log.error({ err: result.message, changeId, correlationId }, 'commit failed');
      sendError(ctx, 'STORAGE_UNAVAILABLE', undefined, {
        correlationId,
        changeId,
        retryAfter: result.retryAfterMs ?? STORAGE_RETRY_MS,
      });
      return;
  }
}

async function handleSave(
  ctx: HandlerContext,
  name: string,
  correlationId: string | undefined,
): Promise<void> {
  const { room, session, store } = ctx;
  if (!session.canWrite) {
    sendError(ctx, 'FORBIDDEN', 'You have read-only access to this document', { correlationId });
    return;
  }
  const saved = {
    id: randomUUID(),
    documentId: room.documentId,
    name,
    version: room.version,
    createdBy: session.userId,
    createdByName: session.name,
    createdAt: Date.now(),
  };
  try {
    await store.saveNamedVersion(saved);
  } catch (error) {
    session.log.error({ err: error, correlationId }, 'saving a named version failed');
    sendError(ctx, 'STORAGE_UNAVAILABLE', 'The version could not be saved; try again', { correlationId });
    return;
  }
  // A snapshot at the saved version makes opening it later cheap.
  void room.snapshot();
  const { documentId: _documentId, ...payload } = saved;
  const meta = { version: room.version, userId: session.userId, sessionId: session.id };
  session.deliver(encode('document.save', payload, { ...meta, correlationId }));
  room.broadcast(encode('document.save', payload, meta), session);
  room.link?.saved(payload);
}
