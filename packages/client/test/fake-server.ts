/**
 * A protocol-level test peer for the client: a small real WebSocket server (ws, port 0) that
 * implements the server semantics of PROTOCOL-SPEC.md — auth at upgrade, document.open, commit
 * with transform (insert ties by author, as the real server: tieSide) and changeId de-duplication, acks and broadcasts in version order,
 * delta/full sync, presence relay, saves, heartbeats — plus switches to inject the faults the
 * client must survive (lost acks, rate limits, storage failures, restarts, trimmed history, silence).
 *
 * It is NOT the real server (packages/server); it exists so the client can be tested against
 * real sockets while that is being written, and a later test runs the client against the real one.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { apply, type Op, OTError, tieSide, transform } from '@jd-collab/ot';
import {
  type ClientMessage,
  changeBroadcastPayload,
  DOCUMENT_PATH_PREFIX,
  type DocumentUpdatedPayload,
  type ErrorCode,
  encodeFrame,
  errorMessage,
  isFullChange,
  PROTOCOL_NAME,
  type PresenceUser,
  parseFrame,
  readSubprotocols,
  type ServerMessage,
  serverMessage,
  serverMetadata,
  userColor,
} from '@jd-collab/protocol';
import { WebSocket, WebSocketServer } from 'ws';

export interface FakeUser {
  readonly userId: string;
  readonly name: string;
  readonly canWrite: boolean;
}

interface Committed {
  readonly version: number;
  readonly changeId: string;
  readonly op: Op;
  readonly userId: string;
  readonly userName: string;
}

interface Session {
  readonly id: string;
  readonly socket: WebSocket;
  readonly user: FakeUser;
  presence: PresenceUser;
  /** Frames received, with the time they arrived (rate checks). */
  readonly frames: number[];
}

export interface Faults {
  /** Commit the next N changes but do not send their acks (lost on the way). */
  dropAcks: number;
  /** Ignore every incoming frame, send nothing (a dead peer behind a live TCP connection). */
  silent: boolean;
  /** Refuse the next N frames with RATE_LIMITED (not processed). */
  rateLimit: number;
  rateLimitRetryAfter: number;
  /** Refuse the next N changes with STORAGE_UNAVAILABLE (not applied). */
  storageFailures: number;
  /** Refuse the next N sync requests with STORAGE_UNAVAILABLE (no changeId: not answered). */
  syncStorageFailures: number;
  /** The retryAfter of STORAGE_UNAVAILABLE refusals, ms. */
  storageRetryAfter: number;
  /** Refuse upgrades with this HTTP status. */
  upgradeStatus: number | null;
  /** Answer the next N changes with conflict.detected (not applied). */
  conflicts: number;
  /** Answer the next N changes with INVALID_OP (not applied), as if the op did not fit. */
  invalidOps: number;
  /** Answer the next N changes with DOCUMENT_TOO_LARGE (not applied). */
  tooLarge: number;
}

/** Faults that refuse the next changes with an error (the change is not applied). */
const INJECTED_REFUSALS = [
  ['invalidOps', 'INVALID_OP'],
  ['tooLarge', 'DOCUMENT_TOO_LARGE'],
] as const;

export class FakeServer {
  readonly #http: Server;
  readonly #wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(PROTOCOL_NAME) ? PROTOCOL_NAME : false),
  });
  readonly #sessions = new Set<Session>();
  readonly #tokens = new Map<string, FakeUser>();
  readonly #byChangeId = new Map<string, number>();
  readonly history: Committed[] = [];
  /** Versions below this are no longer available as deltas (full sync only). */
  historyStart = 0;
  text: string;
  readonly initialText: string;
  readonly documentId: string;
  /** Every frame any session sent, as parsed messages (for assertions). */
  readonly received: ClientMessage[] = [];
  /** Number of upgrade attempts (including refused ones). */
  upgrades = 0;
  /** The request URL of every upgrade (path and query). */
  readonly upgradeUrls: string[] = [];
  /** Sent in document.open; change it to play an id deleted and created again. */
  incarnation = 'first-life';
  /**
   * Set: the document is in the trash. New connections get DOCUMENT_DELETED and a 1008 close
   * instead of document.open (as the real server answers a deleted document).
   */
  trashed: { deletedBy: { userId: string; name: string }; deletedAt: number } | null = null;
  /** Number of sync.response messages that carried the full content instead of changes. */
  fullSyncResponses = 0;
  /** A delta answer carries at most this many changes, with `more: true` when it has more (paging). */
  syncPageSize = Number.POSITIVE_INFINITY;
  /**
   * While true, a sync.response is built when the request arrives (the history as it is then) but
   * only sent by releaseSyncResponse(), so a test can act between a request and its answer.
   */
  holdSyncResponses = false;
  readonly #heldSyncResponses: Array<() => void> = [];
  faults: Faults = {
    dropAcks: 0,
    silent: false,
    rateLimit: 0,
    rateLimitRetryAfter: 50,
    storageFailures: 0,
    syncStorageFailures: 0,
    storageRetryAfter: 20,
    upgradeStatus: null,
    conflicts: 0,
    invalidOps: 0,
    tooLarge: 0,
  };
  #sessionCounter = 0;
  #saveCounter = 0;

  private constructor(documentId: string, text: string) {
    this.documentId = documentId;
    this.text = text;
    this.initialText = text;
    this.#http = createServer((_, res) => res.writeHead(404).end());
    this.#http.on('upgrade', (req, socket, head) => this.#onUpgrade(req, socket as Socket, head));
  }

  static async start(options: { documentId?: string; text?: string } = {}): Promise<FakeServer> {
    const server = new FakeServer(options.documentId ?? 'doc-1', options.text ?? '');
    await new Promise<void>((resolve) => server.#http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get url(): string {
    const { port } = this.#http.address() as AddressInfo;
    return `ws://127.0.0.1:${port}`;
  }

  get version(): number {
    return this.history.length;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Registers a token for a user. */
  addUser(token: string, user: Partial<FakeUser> & { userId: string }): void {
    this.#tokens.set(token, { name: user.userId, canWrite: true, ...user });
  }

  revokeToken(token: string): void {
    this.#tokens.delete(token);
  }

  /** Frame arrival times of every session of a user (rate checks). */
  framesOf(userId: string): number[] {
    return [...this.#sessions].filter((s) => s.user.userId === userId).flatMap((s) => s.frames);
  }

  /** Kills every connection without a close handshake (network loss). */
  dropAll(): void {
    for (const session of this.#sessions) session.socket.terminate();
  }

  /** Graceful restart notice: system.reconnect then close 1012. */
  restartAll(retryAfter: number): void {
    for (const session of this.#sessions) {
      this.#send(session, serverMessage('system.reconnect', { reason: 'restart', retryAfter }, this.#meta()));
      session.socket.close(1012, 'Server restarting');
    }
  }

  /** Sends TOKEN_EXPIRED and closes 1008 (what a server does when a session's token expires). */
  expireSessions(): void {
    for (const session of this.#sessions) {
      this.#send(session, errorMessage('TOKEN_EXPIRED', { version: this.version }));
      session.socket.close(1008, 'Token expired');
    }
  }

  /** The document's metadata changed (what a server sends after PATCH /api/documents/:id). */
  updateMeta(payload: Omit<DocumentUpdatedPayload, 'documentId'>): void {
    const message = serverMessage(
      'document.updated',
      { documentId: this.documentId, ...payload },
      this.#meta(),
    );
    for (const session of this.#sessions) this.#send(session, message);
  }

  /** Sends DOCUMENT_DELETED and closes 1008 (what a server does when the open document is deleted). */
  deleteDocument(deletedBy = { userId: 'root', name: 'Root Admin' }, deletedAt = 1_700_000_000_000): void {
    for (const session of this.#sessions) {
      this.#send(
        session,
        errorMessage('DOCUMENT_DELETED', {
          message: `This document was deleted by ${deletedBy.name}`,
          deletedBy,
          deletedAt,
          version: this.version,
        }),
      );
      session.socket.close(1008, 'Document deleted');
    }
  }

  /**
   * Commits edits made by someone not connected (at the tip, in order) and sends them to every
   * session as one `document.changes` message, as a busy server batches its broadcasts.
   */
  commitBatch(edits: { userId: string; op: Op }[]): void {
    const changes = edits.map(({ userId, op }) => {
      this.text = apply(this.text, op);
      const change = {
        version: this.version + 1,
        changeId: `batch-${this.version + 1}`,
        op,
        userId,
        userName: userId.toUpperCase(),
      };
      this.history.push(change);
      this.#byChangeId.set(change.changeId, change.version);
      return change;
    });
    const message = serverMessage('document.changes', { changes }, this.#meta());
    for (const session of this.#sessions) this.#send(session, message);
  }

  /** Forgets deltas before `version`: sync.request older than that gets the full content. */
  trimHistory(version: number): void {
    this.historyStart = version;
  }

  /** sync.response messages built but held (holdSyncResponses). */
  get heldSyncResponses(): number {
    return this.#heldSyncResponses.length;
  }

  /** Sends the oldest held sync.response. */
  releaseSyncResponse(): void {
    const send = this.#heldSyncResponses.shift();
    if (send === undefined) throw new Error('no sync.response is held');
    send();
  }

  /** Replays the committed history from the initial text (must equal `text`). */
  replay(): string {
    return this.history.reduce((doc, change) => apply(doc, change.op), this.initialText);
  }

  async close(): Promise<void> {
    for (const session of this.#sessions) session.socket.terminate();
    this.#wss.close();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  // ---- upgrade ----------------------------------------------------------------------------------

  #onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    this.upgrades++;
    this.upgradeUrls.push(req.url ?? '');
    const refusal = this.#refusal(req);
    if (refusal !== null) {
      const body = JSON.stringify({ code: refusal.code, message: refusal.code });
      socket.end(
        `HTTP/1.1 ${refusal.status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      return;
    }
    const user = this.#tokens.get(this.#token(req) ?? '')!;
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onConnection(ws, user));
  }

  #token(req: IncomingMessage): string | undefined {
    const url = new URL(req.url ?? '/', 'http://localhost');
    return (
      readSubprotocols(req.headers['sec-websocket-protocol']).token ??
      url.searchParams.get('token') ??
      undefined
    );
  }

  #refusal(req: IncomingMessage): { status: number; code: ErrorCode } | null {
    if (this.faults.upgradeStatus !== null)
      return { status: this.faults.upgradeStatus, code: 'INTERNAL_ERROR' };
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const token = this.#token(req);
    if (token === undefined || !this.#tokens.has(token)) return { status: 401, code: 'UNAUTHORIZED' };
    if (pathname !== `${DOCUMENT_PATH_PREFIX}${this.documentId}`)
      return { status: 404, code: 'DOCUMENT_NOT_FOUND' };
    return null;
  }

  #onConnection(socket: WebSocket, user: FakeUser): void {
    const id = `s${++this.#sessionCounter}`;
    const session: Session = {
      id,
      socket,
      user,
      frames: [],
      presence: {
        sessionId: id,
        userId: user.userId,
        name: user.name,
        color: userColor(user.userId),
        status: 'active',
        lastActivity: Date.now(),
        cursor: null,
        selection: null,
      },
    };
    if (this.trashed !== null) {
      const { deletedBy, deletedAt } = this.trashed;
      socket.send(
        JSON.stringify(
          errorMessage('DOCUMENT_DELETED', {
            message: `This document was deleted by ${deletedBy.name}`,
            deletedBy,
            deletedAt,
            version: this.version,
          }),
        ),
      );
      // Recorded, never applied: a test can check that nothing was even sent.
      socket.on('message', (data) => {
        for (const result of parseFrame(data.toString()).results)
          if (result.ok) this.received.push(result.message);
      });
      socket.close(1008, 'Document deleted');
      return;
    }
    this.#sessions.add(session);
    socket.on('message', (data) => this.#onFrame(session, data.toString()));
    socket.on('close', () => {
      if (!this.#sessions.delete(session)) return;
      this.#broadcast(
        session,
        serverMessage('user.presence', { event: 'left', user: session.presence }, this.#meta(session)),
      );
    });
    this.#send(
      session,
      serverMessage(
        'document.open',
        {
          documentId: this.documentId,
          title: 'Fake document',
          content: this.text,
          version: this.version,
          canWrite: user.canWrite,
          self: { sessionId: id, userId: user.userId, name: user.name, color: userColor(user.userId) },
          users: [...this.#sessions].map((s) => s.presence),
          incarnation: this.incarnation,
        },
        this.#meta(),
      ),
    );
    this.#broadcast(
      session,
      serverMessage('user.presence', { event: 'joined', user: session.presence }, this.#meta(session)),
    );
  }

  // ---- messages ---------------------------------------------------------------------------------

  #onFrame(session: Session, text: string): void {
    if (this.faults.silent) return;
    session.frames.push(Date.now());
    if (this.faults.rateLimit > 0) {
      this.faults.rateLimit--;
      this.#send(
        session,
        errorMessage('RATE_LIMITED', { version: this.version, retryAfter: this.faults.rateLimitRetryAfter }),
      );
      return;
    }
    for (const result of parseFrame(text).results) {
      if (!result.ok) {
        this.#send(session, serverMessage('system.error', result.error, this.#meta()));
        continue;
      }
      this.received.push(result.message);
      this.#onMessage(session, result.message);
    }
  }

  #onMessage(session: Session, message: ClientMessage): void {
    const correlationId = message.metadata?.correlationId;
    switch (message.type) {
      case 'document.change':
        this.#onChange(session, message.payload, correlationId);
        return;
      case 'sync.request': {
        if (this.faults.syncStorageFailures > 0) {
          // The changes could not be read: refused unprocessed, without a changeId.
          this.faults.syncStorageFailures--;
          this.#send(
            session,
            errorMessage('STORAGE_UNAVAILABLE', {
              version: this.version,
              retryAfter: this.faults.storageRetryAfter,
            }),
          );
          return;
        }
        const since = message.payload.sinceVersion;
        if (since === undefined || since < this.historyStart || since > this.version) {
          this.fullSyncResponses++;
          this.#answerSync(
            session,
            serverMessage('sync.response', { version: this.version, content: this.text }, this.#meta()),
          );
          return;
        }
        const changes = this.history
          .slice(since, since + this.syncPageSize)
          .map(({ version, changeId, op, userId }) => ({ version, changeId, op, userId }));
        const version = since + changes.length;
        const more = version < this.version ? { more: true } : {};
        this.#answerSync(
          session,
          serverMessage('sync.response', { version, sinceVersion: since, changes, ...more }, this.#meta()),
        );
        return;
      }
      case 'cursor.position':
      case 'selection.change': {
        const p = message.payload;
        const who = {
          sessionId: session.id,
          userId: session.user.userId,
          name: session.user.name,
          color: session.presence.color,
        };
        if ('position' in p) {
          session.presence = { ...session.presence, cursor: { position: p.position }, selection: null };
          this.#broadcast(
            session,
            serverMessage('cursor.position', { ...who, position: p.position }, this.#meta(session)),
          );
        } else {
          session.presence = { ...session.presence, cursor: { position: p.head }, selection: p };
          this.#broadcast(session, serverMessage('selection.change', { ...who, ...p }, this.#meta(session)));
        }
        return;
      }
      case 'user.presence':
        session.presence = { ...session.presence, status: message.payload.status };
        this.#broadcast(
          session,
          serverMessage(
            'user.presence',
            { event: message.payload.status, user: session.presence },
            this.#meta(session),
          ),
        );
        return;
      case 'document.save': {
        if (!session.user.canWrite) {
          this.#send(session, errorMessage('FORBIDDEN', { version: this.version, correlationId }));
          return;
        }
        const saved = {
          id: `v${++this.#saveCounter}`,
          name: message.payload.name,
          version: this.version,
          createdBy: session.user.userId,
          createdByName: session.user.name,
          createdAt: Date.now(),
        };
        for (const other of this.#sessions) {
          const meta = other === session ? this.#meta(session, correlationId) : this.#meta(session);
          this.#send(other, serverMessage('document.save', saved, meta));
        }
        return;
      }
      case 'system.heartbeat':
        this.#send(
          session,
          serverMessage(
            'system.heartbeat',
            { ...message.payload, serverTime: Date.now() },
            this.#meta(undefined, correlationId),
          ),
        );
        return;
      case 'document.close':
        session.socket.close(1000, 'Normal closure');
        return;
      case 'document.open':
        return;
    }
  }

  #onChange(
    session: Session,
    payload: Extract<ClientMessage, { type: 'document.change' }>['payload'],
    correlationId: string | undefined,
  ): void {
    if (!isFullChange(payload)) throw new Error('the client only sends the full form');
    const { changeId, baseVersion } = payload;
    const known = this.#byChangeId.get(changeId);
    if (known !== undefined) {
      this.#ack(session, changeId, known, correlationId);
      return;
    }
    if (!session.user.canWrite) {
      this.#send(session, errorMessage('FORBIDDEN', { version: this.version, changeId, correlationId }));
      return;
    }
    if (this.faults.storageFailures > 0) {
      this.faults.storageFailures--;
      this.#send(
        session,
        errorMessage('STORAGE_UNAVAILABLE', {
          version: this.version,
          changeId,
          retryAfter: this.faults.storageRetryAfter,
        }),
      );
      return;
    }
    for (const [fault, code] of INJECTED_REFUSALS) {
      if (this.faults[fault] === 0) continue;
      this.faults[fault]--;
      this.#send(session, errorMessage(code, { version: this.version, changeId, message: 'injected' }));
      return;
    }
    const injectedConflict = this.faults.conflicts > 0;
    if (injectedConflict) this.faults.conflicts--;
    if (injectedConflict || baseVersion > this.version || baseVersion < this.historyStart) {
      this.#send(
        session,
        serverMessage(
          'conflict.detected',
          { changeId, baseVersion, currentVersion: this.version, reason: 'baseVersion is not available' },
          this.#meta(),
        ),
      );
      return;
    }
    let op = payload.op;
    try {
      for (const committed of this.history.slice(baseVersion))
        op = transform(op, committed.op, tieSide(session.user.userId, committed.userId));
      this.text = apply(this.text, op);
    } catch (error) {
      if (!(error instanceof OTError)) throw error;
      this.#send(
        session,
        errorMessage('INVALID_OP', { version: this.version, changeId, message: error.message }),
      );
      return;
    }
    const version = this.version + 1;
    const committed = { version, changeId, op, userId: session.user.userId, userName: session.user.name };
    this.history.push(committed);
    this.#byChangeId.set(changeId, version);
    this.#ack(session, changeId, version, correlationId);
    this.#broadcast(
      session,
      serverMessage('document.change', changeBroadcastPayload(committed), this.#meta(session)),
    );
  }

  #ack(session: Session, changeId: string, version: number, correlationId: string | undefined): void {
    if (this.faults.dropAcks > 0) {
      this.faults.dropAcks--;
      return;
    }
    this.#send(
      session,
      serverMessage('document.change', { ack: true, changeId, version }, this.#meta(session, correlationId)),
    );
  }

  #meta(session?: Session, correlationId?: string) {
    return serverMetadata({
      version: this.version,
      userId: session?.user.userId,
      sessionId: session?.id,
      correlationId,
    });
  }

  #answerSync(session: Session, message: ServerMessage): void {
    if (this.holdSyncResponses) this.#heldSyncResponses.push(() => this.#send(session, message));
    else this.#send(session, message);
  }

  #send(session: Session, message: ServerMessage): void {
    if (session.socket.readyState === WebSocket.OPEN) session.socket.send(encodeFrame(message));
  }

  #broadcast(from: Session, message: ServerMessage): void {
    for (const session of this.#sessions) if (session !== from) this.#send(session, message);
  }
}
