/** The public option, state and event types of CollabClient (one place, so docs and hooks agree). */
import type { Op } from '@jd-collab/ot';
import type {
  DocumentSavedPayload,
  DocumentUpdatedPayload,
  PresenceUser,
  SessionUser,
} from '@jd-collab/protocol';
import type { CollabError } from './errors.js';
import type { BatchOptions } from './message-batcher.js';
import type { PersistenceOptions } from './persistence/pending-store.js';
import type { ReconnectOptions } from './reconnection.js';
import type { WebSocketConstructor } from './socket.js';
import type { Timers } from './timers.js';

export interface CollabClientOptions {
  /** Server base URL, e.g. `wss://collab.example.com`; `/ws/document/{documentId}` is appended. */
  url: string;
  documentId: string;
  /** Called before every connection attempt, so an expired token is replaced on reconnect. */
  getToken: () => Promise<string> | string;
  /** WebSocket implementation; default `globalThis.WebSocket` (pass `ws` in Node 20). */
  WebSocket?: WebSocketConstructor;
  /** 'subprotocol' (default): token in Sec-WebSocket-Protocol, kept out of URLs and access logs. */
  tokenTransport?: 'subprotocol' | 'query';
  /** Resend a change not acknowledged after this long (same changeId), ms. Default 5000. */
  ackTimeoutMs?: number;
  /** Send system.heartbeat this often, ms. Default 25000 (the server's idle timeout is 60 s). */
  heartbeatIntervalMs?: number;
  /** Declare the connection dead when nothing arrives this long after a heartbeat, ms. Default 10000. */
  heartbeatTimeoutMs?: number;
  reconnect?: ReconnectOptions;
  batch?: BatchOptions;
  /** Send our cursor/selection at most this often, ms (the latest position wins). Default 100. */
  cursorThrottleMs?: number;
  /** Server failures in a row (INTERNAL_ERROR, STORAGE_UNAVAILABLE, 1011) before going offline. Default 5. */
  maxServerErrors?: number;
  /** Connect in the constructor. Default true; false to call connect() yourself. */
  autoConnect?: boolean;
  /** Clock and timers (tests). */
  timers?: Timers;
  /**
   * Keep pending edits in a PendingStore (IndexedDbPendingStore in browsers), so that a reload or
   * a closed tab does not lose them: the next page load of this document by this user shows them
   * at once and sends them exactly once. Without it, pending edits live in memory only.
   */
  persistence?: PersistenceOptions;
}

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface ClientState {
  readonly status: ConnectionStatus;
  /** Local edits the server has not acknowledged yet (kept across reconnects and offline periods). */
  readonly pendingCount: number;
  /** Last server version incorporated. */
  readonly version: number;
  readonly lastError: CollabError | null;
  readonly canWrite: boolean;
  /**
   * Set once the document was deleted (DOCUMENT_DELETED): a terminal state. The client stops
   * reconnecting for good (retry() does nothing) and never sends its pending edits anywhere;
   * `text` still holds what the person typed, to offer it to them.
   */
  readonly deleted: DocumentDeleted | null;
}

export interface DocumentDeleted {
  /** Who deleted it; null when the server no longer knows (it was purged, or created anew). */
  readonly deletedBy: { readonly userId: string; readonly name: string } | null;
  /** When (ms since the epoch), when known. */
  readonly deletedAt: number | null;
  /** Local edits that were never acknowledged, when the deletion was noticed. */
  readonly pendingCount: number;
}

export type ChangeOrigin =
  /** Made through applyLocalChange (already in the editor). */
  | 'local'
  /** Another user's edit. */
  | 'remote'
  /** Whole-document replacement or correction: first load, full resync, refused edits rolled back. */
  | 'resync';

export interface ChangeEvent {
  /** Apply this to the editor's text (code points), unless origin is 'local'. */
  readonly op: Op;
  readonly origin: ChangeOrigin;
  /** The full local text after the op. */
  readonly text: string;
  /** Author of a remote change. */
  readonly userId?: string;
  readonly userName?: string;
}

export interface OpenEvent {
  readonly documentId: string;
  readonly title: string;
  readonly canWrite: boolean;
  readonly self: SessionUser;
}

export interface CollabClientEvents {
  change: ChangeEvent;
  state: ClientState;
  /** The other sessions (after joins, leaves, status and cursor changes). */
  presence: readonly PresenceUser[];
  /** One remote session moved its cursor or selection. */
  cursor: PresenceUser;
  error: CollabError;
  /** A named version was saved (by anyone). */
  saved: DocumentSavedPayload;
  /** The document's title, department or status changed (by anyone, over the REST API); `title` is updated first. */
  updated: DocumentUpdatedPayload;
  open: OpenEvent;
  /**
   * Our unsent edits had to be merged into a newer version of the document by comparing texts,
   * because the changes since the version they were made on no longer exist (a long offline period
   * beyond the server's change retention, a server restored from backup). Rare; worth telling the
   * person once, so they can look over what they typed.
   */
  merged: MergedEvent;
  /** The document was deleted (also in `state.deleted`); the client has stopped for good. */
  deleted: DocumentDeleted;
  /**
   * Pending edits of an earlier page load were restored from the PendingStore (before the first
   * connection; the text arrived just before as a `change` with origin `resync`).
   */
  restored: RestoredEvent;
}

export interface RestoredEvent {
  /** Restored local edits not acknowledged yet. */
  readonly pendingCount: number;
  /** The server version the restored text is based on. */
  readonly version: number;
}

export interface MergedEvent {
  /** How many of our edits were merged this way. */
  readonly pendingEdits: number;
  /** The server version they were merged against. */
  readonly version: number;
}

export type Selection = { readonly anchor: number; readonly head: number };
