/**
 * The one error type the client reports (in 'error' events, `state.lastError`, thrown by API misuse).
 * `code` is a protocol ErrorCode when the server said so, or one of the client's own codes.
 */
import type { ErrorCode } from '@jd-collab/protocol';

export type ClientErrorCode =
  /** The socket closed or could not open for a reason that reconnecting may fix. */
  | 'NETWORK_ERROR'
  /** No heartbeat reply within heartbeatTimeoutMs: the connection was presumed dead. */
  | 'HEARTBEAT_TIMEOUT'
  /** Reconnecting failed reconnect.maxAttempts times in a row. */
  | 'RECONNECT_FAILED'
  /** The server sent a frame that does not follow the protocol. */
  | 'PROTOCOL_ERROR'
  /** getToken() threw or rejected. */
  | 'TOKEN_UNAVAILABLE'
  /** The client was used before the document was open, or after close(). */
  | 'NOT_READY'
  /** The PendingStore failed: pending edits live in memory only from now on (informational). */
  | 'PERSISTENCE_FAILED'
  | 'CLOSED';

export type CollabErrorCode = ErrorCode | ClientErrorCode;

export class CollabError extends Error {
  override readonly name = 'CollabError';

  constructor(
    readonly code: CollabErrorCode,
    message: string,
    /** Extra facts for logs: close code, HTTP status, retryAfter, changeId. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
