/**
 * One connection to one document: who it is, what it was last told, and its outgoing queue.
 * The session never sees the ws socket, only the small PeerSocket interface, so the room and
 * the handlers can be exercised with any transport.
 */
import { randomUUID } from 'node:crypto';
import { CloseCode, MAX_NAME_LENGTH } from '@jd-collab/protocol';
import type { Logger } from 'pino';
import type { BroadcastSegment } from './broadcast-segment.js';
import { type Frame, Outbox } from './outbox.js';
import type { RateLimiter } from './rate-limiter.js';
import type { CollabMetrics, Principal } from './types.js';
import type { OutgoingMessage } from './wire.js';

export interface PeerSocket {
  /**
   * Sends one text frame (a Buffer holds UTF-8 JSON shared by several recipients). `compress`
   * false: never permessage-deflate this one (a large room's shared frame).
   */
  send(frame: Frame, compress: boolean): void;
  close(code: number, reason: string): void;
  /** Bytes queued in the socket but not yet written (backpressure). */
  readonly bufferedAmount: number;
}

export interface SessionOptions {
  principal: Principal;
  documentId: string;
  canWrite: boolean;
  socket: PeerSocket;
  limiter: RateLimiter;
  metrics: Pick<CollabMetrics, 'messagesTotal'>;
  logger: Logger;
  /** A peer that lets this much pile up unread is closed rather than buffered without bound. */
  maxBufferedBytes: number;
}

export type CursorKind = 'cursor.position' | 'selection.change';

export class Session {
  readonly id = randomUUID();
  readonly principal: Principal;
  readonly userId: string;
  /** Display name, as the protocol allows it (1..200 characters). */
  readonly name: string;
  readonly documentId: string;
  readonly canWrite: boolean;
  readonly limiter: RateLimiter;
  readonly log: Logger;
  /** The latest document version written to this session (base of simple changes without one). */
  lastSentVersion = 0;
  closed = false;
  /** Settles once every change this session submitted so far was committed or refused. */
  changesSettled: Promise<unknown> = Promise.resolve();
  /** Inbound frames are handled strictly one after another. */
  inbound: Promise<void> = Promise.resolve();
  /** Cursor/selection throttling: last broadcast time and the pending coalesced update. */
  cursorSentAt = Number.NEGATIVE_INFINITY;
  cursorTimer: NodeJS.Timeout | null = null;
  pendingCursor: CursorKind | null = null;

  private readonly socket: PeerSocket;
  private readonly outbox: Outbox;
  private readonly metrics: SessionOptions['metrics'];
  private readonly maxBufferedBytes: number;

  constructor(options: SessionOptions) {
    this.principal = options.principal;
    this.userId = options.principal.userId;
    this.name = displayName(options.principal);
    this.documentId = options.documentId;
    this.canWrite = options.canWrite;
    this.limiter = options.limiter;
    this.socket = options.socket;
    this.metrics = options.metrics;
    this.maxBufferedBytes = options.maxBufferedBytes;
    this.log = options.logger.child({ sessionId: this.id, documentId: this.documentId, userId: this.userId });
    this.outbox = new Outbox(
      this,
      (frame, compress) => this.write(frame, compress),
      (version) => {
        if (version > this.lastSentVersion) this.lastSentVersion = version;
      },
    );
  }

  /** Queues a message for this session alone (room broadcasts go through enqueueSegment). */
  deliver(message: OutgoingMessage): void {
    if (this.closed) return;
    this.outbox.push(message.json, message.version);
    this.metrics.messagesTotal.inc({ type: message.type, direction: 'out' });
  }

  /** Queues a room broadcast segment (RoomFanout sends it). */
  enqueueSegment(segment: BroadcastSegment): void {
    if (!this.closed) this.outbox.pushSegment(segment);
  }

  /** Sends what is queued now instead of at the end of the tick. */
  flush(): void {
    if (!this.closed) this.outbox.flush();
  }

  /** Sends what is queued, then closes. Idempotent. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.outbox.flush();
    this.dispose();
    this.socket.close(code, reason);
  }

  /** The connection is gone (closed by the peer or the network): drop what is queued. */
  dispose(): void {
    this.closed = true;
    this.outbox.clear();
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.cursorTimer = null;
  }

  private write(frame: Frame, compress: boolean): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      // The peer does not read: close it instead of buffering without bound.
      this.log.warn({ bufferedAmount: this.socket.bufferedAmount }, 'closing a session that does not read');
      this.dispose();
      this.socket.close(CloseCode.POLICY_VIOLATION, 'Too much unread data');
      return;
    }
    this.socket.send(frame, compress);
  }
}

function displayName(principal: Principal): string {
  const name = principal.name?.trim() ?? '';
  const chosen = name === '' ? principal.userId : name;
  return chosen.length > MAX_NAME_LENGTH ? chosen.slice(0, MAX_NAME_LENGTH) : chosen;
}
