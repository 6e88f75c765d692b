/**
 * The socket lifecycle of one client: get a token, open the socket, watch it with heartbeats,
 * and when it goes down decide — with the error policy — whether to reconnect now, later (backoff
 * with jitter), with a fresh token, or not at all. It knows nothing about documents: the owner
 * gets `onOpen`, `onFrame` and `onDown` and tells it about server errors it saw in frames.
 */
import {
  clientMessage,
  clientSubprotocols,
  documentPath,
  type ErrorCode,
  encodeFrame,
  INCARNATION_PARAM,
} from '@jd-collab/protocol';
import type { CollabClientOptions, ConnectionStatus } from './client-types.js';
import { classifyClose, type Failure } from './error-policy.js';
import { CollabError } from './errors.js';
import { Heartbeat } from './heartbeat.js';
import { ReconnectionPolicy } from './reconnection.js';
import { type SocketClose, SocketConnection, type WebSocketConstructor } from './socket.js';
import { TimerSlot, type Timers } from './timers.js';

export interface ConnectionHooks {
  /** The socket is open (the server will send document.open). */
  onOpen(): void;
  onFrame(text: string): void;
  /** The socket is gone; everything tied to it must be reset. Called before any reconnect. */
  onDown(): void;
  onStatus(status: Exclude<ConnectionStatus, 'connected'>): void;
  onError(error: CollabError): void;
}

const DEFAULT_HEARTBEAT_INTERVAL_MS = 25_000;
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_SERVER_ERRORS = 5;

export class Connection {
  readonly #options: CollabClientOptions;
  readonly #WebSocket: WebSocketConstructor;
  readonly #hooks: ConnectionHooks;
  readonly #policy: ReconnectionPolicy;
  readonly #heartbeat: Heartbeat;
  readonly #reconnectTimer: TimerSlot;
  #socket: SocketConnection | null = null;
  #generation = 0;
  #closed = false;
  #everOpened = false;
  #authRetried = false;
  #serverErrors = 0;
  #lastServerError: ErrorCode | undefined;
  #restartDelayMs: number | undefined;
  #incarnation: string | undefined;

  constructor(
    options: CollabClientOptions,
    WebSocketImpl: WebSocketConstructor,
    timers: Timers,
    hooks: ConnectionHooks,
  ) {
    this.#options = options;
    this.#WebSocket = WebSocketImpl;
    this.#hooks = hooks;
    this.#policy = new ReconnectionPolicy(options.reconnect, timers.random);
    this.#reconnectTimer = new TimerSlot(timers);
    this.#heartbeat = new Heartbeat(
      {
        intervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
        timeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
        // Straight to the socket: one message per interval is nothing against the rate limit.
        send: (t) => this.send(encodeFrame(clientMessage('system.heartbeat', { t }))),
        onDead: () =>
          this.fail({
            kind: 'network',
            error: new CollabError('HEARTBEAT_TIMEOUT', 'No answer from the server; reconnecting'),
          }),
      },
      timers,
    );
  }

  get isUp(): boolean {
    return this.#socket !== null;
  }

  get maxServerErrors(): number {
    return this.#options.maxServerErrors ?? DEFAULT_MAX_SERVER_ERRORS;
  }

  connect(): void {
    if (this.#closed || this.#socket !== null || this.#reconnectTimer.active) return;
    void this.#open();
  }

  /** Manual retry after giving up: fresh backoff, fresh token retry, fresh server-error budget. */
  retry(): void {
    if (this.#closed || this.#socket !== null) return;
    this.#reconnectTimer.stop();
    this.#policy.succeed();
    this.#serverErrors = 0;
    this.#authRetried = false;
    void this.#open();
  }

  send(text: string): boolean {
    return this.#socket?.send(text) ?? false;
  }

  /** The document is synchronized over this connection: it works, so reset the failure counters. */
  healthy(): void {
    this.#policy.succeed();
    this.#authRetried = false;
  }

  /** The server answered normally (ack, heartbeat): it has recovered from earlier errors. */
  serverRecovered(): void {
    this.#serverErrors = 0;
  }

  /** The document's incarnation from its document.open: every later connection names it. */
  setIncarnation(incarnation: string): void {
    this.#incarnation = incarnation;
  }

  /** Remembers the last system.error code: a following close 1008 is explained by it. */
  noteServerError(code: ErrorCode): void {
    this.#lastServerError = code;
  }

  /** Counts a non-fatal server failure; true when the budget is spent and the caller should give up. */
  countServerError(): boolean {
    this.#serverErrors++;
    return this.#serverErrors >= this.maxServerErrors;
  }

  /** Frames arriving prove the connection is alive. */
  received(): void {
    this.#heartbeat.received();
  }

  /** The server announced a restart: reconnect after retryAfter (or the initial delay). */
  restart(retryAfter: number | undefined, error: CollabError): void {
    this.#restartDelayMs = retryAfter;
    this.fail({ kind: 'restart', error });
  }

  /** Drops the current connection (if any) and decides whether and when to reconnect. */
  fail(failure: Failure): void {
    if (this.#closed) return;
    const socket = this.#socket;
    this.#down();
    socket?.close(failure.kind === 'network' ? 4000 : 1000, failure.error.code);
    this.#hooks.onError(failure.error);
    switch (failure.kind) {
      case 'fatal':
        this.#giveUp();
        return;
      case 'auth':
        if (this.#authRetried) {
          this.#giveUp();
          return;
        }
        this.#authRetried = true; // getToken() runs again before the next attempt
        this.#scheduleReconnect(0);
        return;
      case 'restart':
        this.#scheduleReconnect(this.#restartDelayMs ?? this.#policy.delayFor(0));
        return;
      case 'server':
        if (this.countServerError()) {
          this.#giveUp();
          return;
        }
        this.#scheduleReconnect(this.#policy.fail());
        return;
      case 'network':
        if (this.#policy.exhausted) {
          this.#hooks.onError(
            new CollabError(
              'RECONNECT_FAILED',
              `Could not reconnect after ${this.#policy.failures} attempts: ${failure.error.message}`,
              { cause: failure.error.code },
            ),
          );
          this.#giveUp();
          return;
        }
        this.#scheduleReconnect(this.#policy.fail());
        return;
    }
  }

  /** Closes for good, after sending `farewell` (document.close) if the socket is open. */
  close(farewell: string | null): void {
    if (this.#closed) return;
    const socket = this.#socket;
    if (farewell !== null) socket?.send(farewell);
    this.#closed = true;
    this.#down();
    this.#reconnectTimer.stop();
    socket?.close(1000, 'client closed');
  }

  async #open(): Promise<void> {
    const generation = ++this.#generation;
    this.#hooks.onStatus(this.#everOpened ? 'reconnecting' : 'connecting');
    let token: string;
    try {
      token = await this.#options.getToken();
    } catch (error) {
      if (generation !== this.#generation || this.#closed) return;
      const detail = error instanceof Error ? error.message : String(error);
      this.fail({
        kind: 'network',
        error: new CollabError('TOKEN_UNAVAILABLE', `getToken() failed: ${detail}`),
      });
      return;
    }
    if (generation !== this.#generation || this.#closed) return;
    const query = this.#options.tokenTransport === 'query';
    const params = new URLSearchParams();
    if (query) params.set('token', token);
    // Names the document we had open, so edits made for it never reach an id created again.
    if (this.#incarnation !== undefined) params.set(INCARNATION_PARAM, this.#incarnation);
    const search = params.toString() === '' ? '' : `?${params.toString()}`;
    const url = `${this.#options.url.replace(/\/+$/, '')}${documentPath(this.#options.documentId)}${search}`;
    this.#lastServerError = undefined;
    this.#restartDelayMs = undefined;
    this.#socket = new SocketConnection(
      this.#WebSocket,
      url,
      query ? ['jd-collab.v1'] : clientSubprotocols(token),
      {
        onOpen: () => {
          this.#everOpened = true;
          this.#heartbeat.start();
          this.#hooks.onOpen();
        },
        onFrame: (text) => this.#hooks.onFrame(text),
        onClose: (close) => this.#onClose(close),
      },
    );
  }

  #onClose(close: SocketClose): void {
    if (this.#closed) return;
    this.#down();
    this.fail(classifyClose(close, this.#lastServerError));
  }

  #down(): void {
    this.#generation++;
    this.#heartbeat.stop();
    if (this.#socket === null) return;
    this.#socket = null;
    this.#hooks.onDown();
  }

  #scheduleReconnect(delayMs: number): void {
    this.#hooks.onStatus('reconnecting');
    this.#reconnectTimer.start(delayMs, () => void this.#open());
  }

  #giveUp(): void {
    this.#reconnectTimer.stop();
    this.#hooks.onStatus('offline');
  }
}
