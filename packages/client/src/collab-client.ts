/**
 * CollabClient: one user's live connection to one document, and the public API editors use.
 * A local edit is applied at once, reaches the server exactly once whatever happens to the
 * network, and everyone converges. The work is split by concern:
 *   Connection   — socket, token, heartbeat, reconnect/backoff/give-up decisions
 *   DocumentSync — SyncState and the resync phases of each connection
 *   MessageBatcher, PresenceStore — outgoing pacing, other users and their cursors
 * This class routes server messages between them, handles server errors, saves and presence.
 */
import { checkOp, codePointLength, isNoop, type Op, OTError, transformSelection } from '@jd-collab/ot';
import {
  type ClientMessage,
  clientMessage,
  type DocumentOpenPayload,
  type DocumentSavedPayload,
  documentPath,
  type ErrorPayload,
  encodeFrame,
  isChangeAck,
  isSyncDelta,
  MAX_NAME_LENGTH,
  type PresenceUser,
  parseServerFrame,
  type ServerMessage,
  type SessionUser,
} from '@jd-collab/protocol';
import type {
  ChangeEvent,
  ChangeOrigin,
  ClientState,
  CollabClientEvents,
  CollabClientOptions,
  ConnectionStatus,
  DocumentDeleted,
  Selection,
} from './client-types.js';
import { Connection } from './connection.js';
import { diffOp } from './diff-op.js';
import { DocumentSync } from './document-sync.js';
import { CollabError } from './errors.js';
import { TypedEmitter } from './event-emitter.js';
import { MessageBatcher } from './message-batcher.js';
import { PendingPersister, type PersistSource } from './persistence/pending-persister.js';
import type { PendingRecord } from './persistence/pending-store.js';
import { PresenceStore } from './presence-store.js';
import { defaultWebSocket } from './socket.js';
import { type CommittedChange, SyncState } from './sync-state.js';
import { systemTimers, TimerSlot, type Timers } from './timers.js';

interface PendingSave {
  readonly name: string;
  readonly correlationId: string;
  sent: boolean;
  readonly resolve: (saved: DocumentSavedPayload) => void;
  readonly reject: (error: CollabError) => void;
  /** Settles with resolve/reject (leave() waits for it). */
  readonly settled: Promise<unknown>;
}

const DEFAULT_CURSOR_THROTTLE_MS = 100;
/** How long leave() waits for the last edits' acks before closing anyway. */
const DEFAULT_LEAVE_TIMEOUT_MS = 5000;
/** INVALID_OP answers to our own changes in a row before we stop rebasing and report. */
const MAX_REFUSED_REBASES = 3;

export class CollabClient extends TypedEmitter<CollabClientEvents> {
  readonly documentId: string;
  readonly #options: CollabClientOptions;
  readonly #timers: Timers;
  readonly #connection: Connection;
  readonly #sync: DocumentSync;
  readonly #batcher: MessageBatcher<ClientMessage>;
  readonly #presence = new PresenceStore();
  readonly #cursorTimer: TimerSlot;
  /** Repeats a sync request that RATE_LIMITED may have refused. */
  readonly #retryTimer: TimerSlot;
  readonly #idPrefix = randomId();
  #idCounter = 0;

  #status: ConnectionStatus = 'connecting';
  #lastError: CollabError | null = null;
  #canWrite = true;
  #self: SessionUser | null = null;
  #title = '';
  #closed = false;
  #refusedRebases = 0;
  /** The document.open incarnation; a later open naming another one is a different document. */
  #incarnation: string | undefined;
  #deleted: DocumentDeleted | null = null;
  /** Keeps pending edits across page loads (options.persistence); null without it. */
  readonly #persister: PendingPersister | null;
  /** connect() ran (with persistence, the connection starts once the restore is done). */
  #started = false;

  #selection: Selection | null = null;
  #selectionDirty = false;
  /** The last caret report was made while edits were pending: report again once they are acked. */
  #cursorReportedWhilePending = false;
  #lastCursorSentAt = Number.NEGATIVE_INFINITY;
  #activity: 'active' | 'idle' = 'active';
  #saves: PendingSave[] = [];
  #syncWaiters: Array<{ resolve: () => void; reject: (error: CollabError) => void }> = [];

  constructor(options: CollabClientOptions) {
    super();
    const WebSocketImpl = options.WebSocket ?? defaultWebSocket();
    if (WebSocketImpl === undefined) {
      throw new CollabError(
        'NOT_READY',
        'No WebSocket implementation: pass options.WebSocket (e.g. from "ws")',
      );
    }
    documentPath(options.documentId); // throws RangeError for an invalid id, before any I/O
    this.documentId = options.documentId;
    this.#options = options;
    this.#timers = options.timers ?? systemTimers;
    this.#cursorTimer = new TimerSlot(this.#timers);
    this.#retryTimer = new TimerSlot(this.#timers);
    this.#batcher = new MessageBatcher<ClientMessage>(
      options.batch ?? {},
      this.#timers,
      (messages) => this.#connection.send(encodeFrame(messages.length === 1 ? messages[0]! : messages)),
      () => this.#collect(),
    );
    this.#sync = new DocumentSync(
      {
        send: (message) => this.#connection.send(encodeFrame(message)),
        requestFlush: () => this.#batcher.request(),
        applied: (op, origin, author) => this.#applied(op, origin, author),
        confirmed: () => {
          this.#connection.serverRecovered();
          this.#refusedRebases = 0;
          this.#emitState();
        },
        live: () => this.#onLive(),
        // Persistence first: what goes out must already be in the store under its changeId.
        mayTake: (state) =>
          this.#persister === null ||
          this.#incarnation === undefined ||
          this.#persister.mayTake(state.revision),
        merged: (pendingEdits, version) => this.emit('merged', { pendingEdits, version }),
        stalled: () =>
          this.#connection.fail({
            kind: 'network',
            error: new CollabError('NETWORK_ERROR', 'Changes are not acknowledged; reconnecting'),
          }),
        report: (error) => this.#report(error),
      },
      this.#timers,
      options.ackTimeoutMs,
      () => this.#newChangeId(),
    );
    const persistence = options.persistence;
    this.#persister =
      persistence === undefined
        ? null
        : new PendingPersister(
            persistence.store,
            persistence.userId,
            options.documentId,
            {
              source: () => this.#persistSource(),
              persisted: () => {
                if (this.#sync.isLive) this.#batcher.request();
              },
              // Informational, not lastError: editing and syncing go on, in memory as before.
              failed: (error) =>
                this.emit(
                  'error',
                  new CollabError(
                    'PERSISTENCE_FAILED',
                    `Pending edits cannot be kept in storage: ${String(error)}`,
                  ),
                ),
            },
            randomId,
          );
    this.#connection = new Connection(options, WebSocketImpl, this.#timers, {
      onOpen: () => this.#sync.connected(),
      onFrame: (text) => this.#onFrame(text),
      onDown: () => {
        this.#sync.disconnected();
        this.#batcher.reset();
        this.#cursorTimer.stop();
        this.#retryTimer.stop();
        for (const save of this.#saves) save.sent = false;
      },
      onStatus: (status) => this.#setStatus(status),
      onError: (error) => this.#report(error),
    });
    if (options.autoConnect !== false) this.connect();
  }

  // ---- public API -------------------------------------------------------------------------------

  /** The local text (the server's text plus pending local edits); '' until the document is open. */
  get text(): string {
    return this.#sync.state?.text ?? '';
  }

  /** Whether the document was loaded at least once (edits are possible, also offline). */
  get isOpen(): boolean {
    return this.#sync.state !== null;
  }

  get state(): ClientState {
    return {
      status: this.#status,
      pendingCount: this.#sync.state?.pendingCount ?? 0,
      version: this.#sync.state?.version ?? 0,
      lastError: this.#lastError,
      canWrite: this.#canWrite,
      deleted: this.#deleted,
    };
  }

  get self(): SessionUser | null {
    return this.#self;
  }

  get title(): string {
    return this.#title;
  }

  /** The other sessions on the document, with cursors mapped onto the local text. */
  get users(): readonly PresenceUser[] {
    return this.#presence.others;
  }

  /** Our selection as last set, mapped through every remote edit since. */
  get selection(): Selection | null {
    return this.#selection;
  }

  /**
   * Opens the connection (the constructor does, unless autoConnect is false). With persistence,
   * pending edits left by an earlier page load are restored first (event `restored`).
   */
  connect(): void {
    this.#assertNotClosed();
    if (this.#started) {
      this.#connection.connect();
      return;
    }
    this.#started = true;
    const persister = this.#persister;
    if (persister === null) {
      this.#connection.connect();
      return;
    }
    void persister.start().then((record) => {
      if (this.#closed) return;
      if (record !== null) this.#restore(record);
      this.#connection.connect();
    });
  }

  /** Tries again after the client gave up ('offline'), with a fresh backoff. */
  retry(): void {
    this.#assertNotClosed();
    if (this.#deleted !== null) return; // terminal: the document is gone
    this.#refusedRebases = 0;
    this.#connection.retry();
  }

  /**
   * Applies a local edit (an op on `text`, counting code points) at once and schedules it for
   * sending; offline edits are sent after reconnecting. Throws CollabError: INVALID_OP for an op
   * that is malformed or does not fit, FORBIDDEN for a read-only user, NOT_READY before the open.
   */
  applyLocalChange(op: Op): void {
    this.#assertNotClosed();
    const state = this.#sync.state;
    if (state === null)
      throw new CollabError('NOT_READY', 'The document is not open yet; wait for the "open" event');
    if (!this.#canWrite) throw new CollabError('FORBIDDEN', 'This user may only read the document');
    try {
      checkOp(op);
      state.applyLocal(op);
    } catch (error) {
      if (error instanceof OTError) throw new CollabError('INVALID_OP', error.message);
      throw error;
    }
    if (isNoop(op)) return;
    this.#applied(op, 'local');
    if (this.#sync.isLive) this.#batcher.request();
  }

  /** Our cursor moved (code points). Throttled; only the latest position is sent. */
  setCursor(position: number): void {
    this.setSelection(position, position);
  }

  /** Our selection changed (code points; anchor === head is a plain cursor). */
  setSelection(anchor: number, head: number): void {
    this.#assertNotClosed();
    const length = codePointLength(this.text);
    for (const [name, value] of [
      ['anchor', anchor],
      ['head', head],
    ] as const) {
      if (!Number.isInteger(value) || value < 0 || value > length) {
        throw new RangeError(`${name} must be an integer in 0..${length} (code points), got ${value}`);
      }
    }
    this.#selection = { anchor, head };
    this.#selectionDirty = true;
    this.#scheduleCursor();
  }

  setActivity(status: 'active' | 'idle'): void {
    this.#assertNotClosed();
    if (status === this.#activity) return;
    this.#activity = status;
    if (this.#sync.isLive) this.#enqueueActivity();
  }

  /**
   * Saves a named version. It is sent once every local edit is acknowledged, so the version holds
   * them, and resolves with the server's confirmation (rejects with FORBIDDEN for readers).
   */
  save(name: string): Promise<DocumentSavedPayload> {
    this.#assertNotClosed();
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > MAX_NAME_LENGTH) {
      return Promise.reject(
        new CollabError('INVALID_MESSAGE', `A version name needs 1..${MAX_NAME_LENGTH} characters`),
      );
    }
    if (!this.#canWrite)
      return Promise.reject(new CollabError('FORBIDDEN', 'This user may only read the document'));
    let resolve!: PendingSave['resolve'];
    let reject!: PendingSave['reject'];
    const saved = new Promise<DocumentSavedPayload>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const correlationId = `save-${this.#idPrefix}-${++this.#idCounter}`;
    const settled = saved.then(
      () => undefined,
      () => undefined,
    );
    this.#saves.push({ name: trimmed, correlationId, sent: false, resolve, reject, settled });
    if (this.#sync.isLive) this.#batcher.request();
    return saved;
  }

  /** Resolves once every local edit so far is acknowledged by the server. */
  whenSynced(): Promise<void> {
    if (this.#closed) return Promise.reject(new CollabError('CLOSED', 'The client is closed'));
    if (this.#sync.isLive && this.state.pendingCount === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#syncWaiters.push({ resolve, reject }));
  }

  /**
   * Closes once every local edit is acknowledged and every save() answered, waiting at most
   * `timeoutMs` (through a reconnect too), so that leaving a document right after typing does not
   * drop the last keystrokes, which may still sit in the batch or await their ack. Closes at once
   * when nothing is pending. Resolves once closed: true when nothing was left unacknowledged.
   */
  async leave(timeoutMs = DEFAULT_LEAVE_TIMEOUT_MS): Promise<boolean> {
    // A save stays in #saves until it is answered.
    if (this.#closed || (this.state.pendingCount === 0 && this.#saves.length === 0)) {
      const clean = this.state.pendingCount === 0 && this.#saves.length === 0;
      this.close();
      return clean;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settled = async () => {
      await this.whenSynced();
      // Saves go out once nothing is pending: a version named just before leaving is kept.
      await Promise.all(this.#saves.map((save) => save.settled));
    };
    const synced = await Promise.race([
      settled().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    this.close();
    return synced;
  }

  /** Whether close() (or leave()) has closed the client. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Leaves the document (document.close) and closes the connection at once. Final. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection.close(this.#sync.isLive ? encodeFrame(clientMessage('document.close', {})) : null);
    // Unsent edits stay in the store for the next page load of this document.
    void this.#persister?.close();
    this.#cursorTimer.stop();
    this.#retryTimer.stop();
    const closed = new CollabError('CLOSED', 'The client was closed');
    for (const save of this.#saves) save.reject(closed);
    this.#saves = [];
    for (const waiter of this.#syncWaiters) waiter.reject(closed);
    this.#syncWaiters = [];
    this.#setStatus('offline');
  }

  // ---- outgoing ---------------------------------------------------------------------------------

  /** Last-moment messages of a frame: the change to (re)send, then saves once nothing is pending. */
  #collect(): ClientMessage[] {
    const out: ClientMessage[] = [];
    const change = this.#sync.collect();
    if (change !== null) out.push(change);
    if (this.#sync.isLive && this.state.pendingCount === 0) {
      for (const save of this.#saves) {
        if (save.sent) continue;
        save.sent = true;
        out.push(clientMessage('document.save', { name: save.name }, { correlationId: save.correlationId }));
      }
    }
    return out;
  }

  #onLive(): void {
    this.#connection.healthy();
    this.#lastError = null; // whatever went wrong before, this connection works
    this.#setStatus('connected');
    // A new session starts without our cursor and as 'active': tell the others again.
    this.#selectionDirty = this.#selection !== null;
    this.#scheduleCursor();
    if (this.#activity !== 'active') this.#enqueueActivity();
  }

  #scheduleCursor(): void {
    if (!this.#sync.isLive || this.#cursorTimer.active || !this.#selectionDirty) return;
    const throttle = this.#options.cursorThrottleMs ?? DEFAULT_CURSOR_THROTTLE_MS;
    const wait = Math.max(0, this.#lastCursorSentAt + throttle - this.#timers.now());
    this.#cursorTimer.start(wait, () => {
      const selection = this.#selection;
      if (!this.#sync.isLive || selection === null || !this.#selectionDirty) return;
      this.#selectionDirty = false;
      this.#lastCursorSentAt = this.#timers.now();
      // Report the caret in the server's document at our version, without our pending edits: the
      // server maps it through everything committed since, so others see it where we do.
      const state = this.#sync.state;
      const version = state?.version ?? 0;
      const toServer = (p: number) => state?.toConfirmedPosition(p) ?? p;
      this.#cursorReportedWhilePending = (state?.pendingCount ?? 0) > 0;
      const message =
        selection.anchor === selection.head
          ? clientMessage('cursor.position', { position: toServer(selection.head), version })
          : clientMessage('selection.change', {
              anchor: toServer(selection.anchor),
              head: toServer(selection.head),
              version,
            });
      // One key for both kinds: the latest cursor or selection replaces a queued one.
      this.#batcher.enqueue(message, 'cursor');
    });
  }

  #enqueueActivity(): void {
    this.#batcher.enqueue(clientMessage('user.presence', { status: this.#activity }), 'presence');
  }

  // ---- incoming ---------------------------------------------------------------------------------

  #onFrame(text: string): void {
    this.#connection.received();
    for (const result of parseServerFrame(text).results) {
      if (!result.ok) {
        this.#report(
          new CollabError('PROTOCOL_ERROR', `Ignored an invalid server message: ${result.error.message}`),
        );
        continue;
      }
      this.#onMessage(result.message);
      if (!this.#connection.isUp) return; // the message ended this connection
    }
  }

  #onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'document.open':
        this.#onOpen(message.payload);
        return;
      case 'document.change': {
        const payload = message.payload;
        if (isChangeAck(payload)) {
          this.#sync.onAck(payload.changeId, payload.version);
          if (this.#cursorReportedWhilePending && this.state.pendingCount === 0 && this.#selection !== null) {
            // The caret inside our own then-pending text was approximate; now it can be exact.
            this.#cursorReportedWhilePending = false;
            this.#selectionDirty = true;
            this.#scheduleCursor();
          }
          return;
        }
        this.#sync.onCommitted(this.#committed(payload), payload);
        return;
      }
      case 'document.changes':
        // A busy document's broadcasts, batched: each entry is one document.change broadcast.
        for (const change of message.payload.changes) this.#sync.onCommitted(this.#committed(change), change);
        return;
      case 'sync.response': {
        const payload = message.payload;
        if (isSyncDelta(payload)) {
          this.#sync.onDelta(
            payload.changes.map((change) => this.#committed(change)),
            payload.more === true,
          );
        } else this.#sync.onSnapshot(payload.version, payload.content);
        return;
      }
      case 'conflict.detected':
        this.#sync.onConflict(message.payload.changeId);
        return;
      case 'system.error':
        this.#onServerError(message.payload);
        return;
      case 'system.reconnect': {
        const { reason, retryAfter } = message.payload;
        this.#connection.restart(
          retryAfter,
          new CollabError('SERVER_SHUTTING_DOWN', `Server restarting: ${reason}`),
        );
        return;
      }
      case 'user.presence':
        this.#presence.applyEvent(message.payload, codePointLength(this.text));
        this.emit('presence', this.#presence.others);
        return;
      case 'cursor.position':
      case 'selection.change': {
        const now = this.#timers.now();
        const length = codePointLength(this.text);
        // The server sends carets in its document at our version; our pending edits shift them.
        const state = this.#sync.state;
        const local = (p: number) => state?.toLocalPosition(p) ?? p;
        const user =
          message.type === 'cursor.position'
            ? this.#presence.applyCursor(
                { ...message.payload, position: local(message.payload.position) },
                now,
                length,
              )
            : this.#presence.applySelection(
                {
                  ...message.payload,
                  anchor: local(message.payload.anchor),
                  head: local(message.payload.head),
                },
                now,
                length,
              );
        if (user === undefined) return;
        this.emit('cursor', user);
        this.emit('presence', this.#presence.others);
        return;
      }
      case 'document.save':
        this.#onSaved(message.payload, message.metadata.correlationId);
        return;
      case 'document.updated':
        this.#title = message.payload.title;
        this.emit('updated', message.payload);
        return;
      case 'system.heartbeat':
        this.#connection.serverRecovered(); // the session answers: the server is healthy again
        return;
    }
  }

  /**
   * A change committed by the server, as the sync state takes it. Its changeId is kept only when
   * the author is us: only then can it be our inflight change. changeIds are scoped by author on
   * the server, and anyone can read ours in a broadcast; a co-editor's change carrying our id must
   * stay a remote edit, never our ack.
   */
  #committed(change: { version: number; op: Op; changeId: string; userId: string }): CommittedChange {
    const { version, op, changeId, userId } = change;
    return { version, op, changeId: userId === this.#self?.userId ? changeId : undefined, userId };
  }

  #onOpen(payload: DocumentOpenPayload): void {
    if (
      this.#incarnation !== undefined &&
      payload.incarnation !== undefined &&
      payload.incarnation !== this.#incarnation
    ) {
      // The id was deleted and created again (a server that did not refuse us itself): our
      // pending edits belong to the old document and must never be applied to this one.
      this.#documentDeleted(
        new CollabError('DOCUMENT_DELETED', 'This document was deleted; the id now names another one'),
        null,
        null,
      );
      return;
    }
    if (payload.incarnation !== undefined) {
      this.#incarnation = payload.incarnation;
      this.#connection.setIncarnation(payload.incarnation);
    }
    this.#self = payload.self;
    this.#canWrite = payload.canWrite;
    this.#title = payload.title;
    // Loads or resynchronizes the text first, so cursors are clamped to the text they refer to.
    if (!this.#sync.open(payload)) return;
    this.#presence.reset(payload.self.sessionId, payload.users, codePointLength(this.text));
    this.emit('open', {
      documentId: payload.documentId,
      title: payload.title,
      canWrite: payload.canWrite,
      self: payload.self,
    });
    this.emit('presence', this.#presence.others);
  }

  #onServerError(payload: ErrorPayload): void {
    this.#connection.noteServerError(payload.code);
    const error = new CollabError(payload.code, payload.message, {
      changeId: payload.changeId,
      correlationId: payload.correlationId,
      retryAfter: payload.retryAfter,
    });
    const aboutInflight = this.#sync.isInflight(payload.changeId);
    const save = this.#saves.find((s) => s.correlationId === payload.correlationId);
    switch (payload.code) {
      case 'RATE_LIMITED':
        // The refused frame was not processed: wait, then resend whatever it may have carried.
        this.#batcher.pauseUntil(this.#timers.now() + (payload.retryAfter ?? 1000));
        this.#retryTimer.start(payload.retryAfter ?? 1000, () => this.#sync.repeatRequest());
        this.#sync.resendInflight();
        if (save !== undefined) save.sent = false;
        this.#selectionDirty = this.#selection !== null;
        this.#scheduleCursor();
        this.#batcher.request();
        this.emit('error', error); // handled, so not kept as lastError
        return;
      case 'STORAGE_UNAVAILABLE':
        if (this.#connection.countServerError()) {
          this.#connection.fail({ kind: 'fatal', error });
          return;
        }
        this.#batcher.pauseUntil(this.#timers.now() + (payload.retryAfter ?? 1000));
        // A sync request the server could not answer (it reads old changes from storage): ask again.
        if (payload.changeId === undefined && save === undefined)
          this.#retryTimer.start(payload.retryAfter ?? 1000, () => this.#sync.repeatRequest());
        if (aboutInflight) this.#sync.resendInflight();
        if (save !== undefined) save.sent = false;
        this.#batcher.request();
        this.emit('error', error);
        return;
      case 'CONFLICT':
        this.emit('error', error);
        this.#sync.onConflict(payload.changeId);
        return;
      case 'INVALID_OP':
      case 'CHANGE_ID_REUSED':
        // Either way our change was not taken as sent: rebase onto the server's text, new changeId.
        this.#report(error);
        if (!aboutInflight || payload.changeId === undefined) return;
        if (++this.#refusedRebases >= MAX_REFUSED_REBASES) {
          this.#connection.fail({ kind: 'fatal', error });
          return;
        }
        this.#sync.onInvalidOp(payload.changeId);
        return;
      case 'FORBIDDEN':
        if (save !== undefined) {
          this.#saves = this.#saves.filter((s) => s !== save);
          save.reject(error);
        }
        if (aboutInflight) {
          this.#canWrite = false; // a reader: the server will never take these edits
          this.#sync.discardPending();
        }
        this.#report(error);
        return;
      case 'DOCUMENT_TOO_LARGE':
        // The server will never take this change: take it back (with what was typed on top of it,
        // which depends on it) and say why; the document stays as everyone else has it.
        if (aboutInflight) this.#sync.discardPending();
        this.#report(error);
        return;
      case 'MESSAGE_TOO_LARGE':
        // Resending the same change cannot help; stop and keep it, so nothing is lost silently.
        if (aboutInflight) this.#connection.fail({ kind: 'fatal', error });
        else this.#report(error);
        return;
      case 'SERVER_SHUTTING_DOWN':
        this.#connection.restart(payload.retryAfter, error);
        return;
      case 'DOCUMENT_DELETED':
        this.#documentDeleted(error, payload.deletedBy ?? null, payload.deletedAt ?? null);
        return;
      default:
        // Auth and not-found errors are followed by a close, which decides; the rest are reported.
        this.#report(error);
        return;
    }
  }

  #onSaved(payload: DocumentSavedPayload, correlationId: string | undefined): void {
    const index = this.#saves.findIndex(
      (s) =>
        s.sent &&
        (s.correlationId === correlationId ||
          (s.name === payload.name && payload.createdBy === this.#self?.userId)),
    );
    if (index >= 0) this.#saves.splice(index, 1)[0]?.resolve(payload);
    this.emit('saved', payload);
  }

  // ---- local state ------------------------------------------------------------------------------

  /** The local text changed by `op`: move cursors, tell listeners. */
  #applied(op: Op, origin: ChangeOrigin, author?: { userId: string; userName: string }): void {
    if (origin !== 'local' && this.#selection !== null) {
      this.#selection = transformSelection(this.#selection, op);
    }
    this.#presence.transform(op);
    const event: ChangeEvent = { op, origin, text: this.text, ...author };
    this.emit('change', event);
    if (this.#presence.others.some((u) => u.cursor !== null)) this.emit('presence', this.#presence.others);
    this.#emitState();
  }

  #setStatus(status: ConnectionStatus): void {
    if (this.#closed && status !== 'offline') return;
    this.#status = status;
    this.#emitState();
  }

  #emitState(): void {
    if (!this.#closed && this.#deleted === null) this.#persister?.changed();
    const state = this.state;
    this.emit('state', state);
    if (state.pendingCount === 0 && this.#sync.isLive && this.#syncWaiters.length > 0) {
      const waiters = this.#syncWaiters;
      this.#syncWaiters = [];
      for (const waiter of waiters) waiter.resolve();
    }
  }

  /** Terminal: stop for good, keep the text (the person's copy), and say who deleted it. */
  #documentDeleted(
    error: CollabError,
    deletedBy: DocumentDeleted['deletedBy'],
    deletedAt: number | null,
  ): void {
    if (this.#deleted === null) {
      const pendingCount = this.#sync.state?.pendingCount ?? 0;
      this.#deleted = { deletedBy, deletedAt, pendingCount };
      void this.#persister?.deleted();
      this.emit('deleted', this.#deleted);
    }
    this.#connection.fail({ kind: 'fatal', error });
  }

  #newChangeId(): string {
    return `${this.#idPrefix}:${++this.#idCounter}`;
  }

  /**
   * Takes up the pending edits of an earlier page load: the text they were made on plus the edits
   * appear at once (also offline), and the first connection names the record's incarnation and
   * resynchronizes from its version before resending them under their changeIds.
   */
  #restore(record: PendingRecord): void {
    let state: SyncState;
    try {
      state = SyncState.restore(record, { newChangeId: () => this.#newChangeId(), userId: record.userId });
    } catch (error) {
      this.emit(
        'error',
        new CollabError('PERSISTENCE_FAILED', `A stored draft does not fit: ${String(error)}`),
      );
      return;
    }
    this.#sync.restore(state);
    this.#incarnation = record.incarnation;
    this.#connection.setIncarnation(record.incarnation);
    this.#title = record.title;
    this.#applied(diffOp('', state.text), 'resync');
    this.emit('restored', { pendingCount: state.pendingCount, version: state.version });
  }

  /** What the persister writes: the pending edits with their ids, and what a replay needs. */
  #persistSource(): PersistSource | null {
    const state = this.#sync.state;
    const incarnation = this.#incarnation;
    if (state === null || incarnation === undefined) return null;
    const deleted = this.#deleted;
    return {
      snapshot: state.snapshot(),
      incarnation,
      title: this.#title,
      deleted: deleted === null ? null : { deletedBy: deleted.deletedBy, deletedAt: deleted.deletedAt },
    };
  }

  #report(error: CollabError): void {
    // A refused upgrade (HTTP 410, outside browsers) says deleted without a system.error.
    if (error.code === 'DOCUMENT_DELETED' && this.#deleted === null) {
      this.#deleted = { deletedBy: null, deletedAt: null, pendingCount: this.#sync.state?.pendingCount ?? 0 };
      void this.#persister?.deleted();
      this.emit('deleted', this.#deleted);
    }
    this.#lastError = error;
    this.emit('error', error);
    this.#emitState();
  }

  #assertNotClosed(): void {
    if (this.#closed) throw new CollabError('CLOSED', 'The client is closed');
  }
}

function randomId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (crypto?.randomUUID !== undefined) return crypto.randomUUID().replace(/-/g, '').slice(0, 16);
  return Math.random().toString(36).slice(2, 12) + Math.random().toString(36).slice(2, 8);
}
