/**
 * What a lost connection means and what to do about it (the design's WebSocketErrorHandler, made
 * precise). Browsers hide the HTTP status of a refused upgrade and report close 1006, so the same
 * decision also uses the close code and the last `system.error` the server sent before closing.
 */
import type { ErrorCode } from '@jd-collab/protocol';
import { CollabError } from './errors.js';
import type { SocketClose } from './socket.js';

export type FailureKind =
  /** Transient (network, heartbeat, proxy): reconnect with backoff and jitter. */
  | 'network'
  /** The token was refused or expired: reconnect once at once with a fresh token, then give up. */
  | 'auth'
  /** Retrying cannot help (no such document, deleted, no permission, invalid id): go offline. */
  | 'fatal'
  /** The server failed: reconnect with backoff, give up after maxServerErrors in a row. */
  | 'server'
  /** The server is restarting (1012 / system.reconnect): reconnect after its retryAfter. */
  | 'restart';

export interface Failure {
  readonly kind: FailureKind;
  readonly error: CollabError;
}

const FATAL_CODES: ReadonlySet<ErrorCode> = new Set([
  'DOCUMENT_NOT_FOUND',
  'DOCUMENT_DELETED',
  'INVALID_DOCUMENT_ID',
  'FORBIDDEN',
]);
const AUTH_CODES: ReadonlySet<ErrorCode> = new Set(['UNAUTHORIZED', 'TOKEN_EXPIRED']);

/**
 * Refused upgrades that name a cause. Anything else (5xx from the server or from a proxy while it
 * restarts) means "not now": a network-kind failure, retried with backoff up to maxAttempts.
 */
const HTTP_STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'INVALID_DOCUMENT_ID',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'DOCUMENT_NOT_FOUND',
  410: 'DOCUMENT_DELETED',
  429: 'RATE_LIMITED',
};

/**
 * Classifies a close. `lastServerError` is the code of the last system.error on this connection
 * (the server sends one before it closes for auth, permission and not-found reasons).
 */
export function classifyClose(close: SocketClose, lastServerError: ErrorCode | undefined): Failure {
  const details = { closeCode: close.code, reason: close.reason, httpStatus: close.httpStatus };
  if (close.httpStatus !== undefined) {
    const code = HTTP_STATUS_CODES[close.httpStatus];
    const message = `The server refused the connection (HTTP ${close.httpStatus})`;
    if (code !== undefined) return { kind: kindOfCode(code), error: new CollabError(code, message, details) };
    return { kind: 'network', error: new CollabError('NETWORK_ERROR', message, details) };
  }
  switch (close.code) {
    case 1008: {
      // Policy: auth, permission, not found or rate abuse; the preceding system.error says which.
      const code = lastServerError ?? 'UNAUTHORIZED';
      const kind = lastServerError === undefined ? 'auth' : kindOfCode(code);
      return {
        kind,
        error: new CollabError(code, closeMessage(close, 'Connection refused by policy'), details),
      };
    }
    case 1009:
      return {
        kind: 'server',
        error: new CollabError('MESSAGE_TOO_LARGE', closeMessage(close, 'A message was too large'), details),
      };
    case 1011:
      return {
        kind: 'server',
        error: new CollabError('INTERNAL_ERROR', closeMessage(close, 'Internal server error'), details),
      };
    case 1012:
      return {
        kind: 'restart',
        error: new CollabError('SERVER_SHUTTING_DOWN', closeMessage(close, 'Server restarting'), details),
      };
    default:
      return {
        kind: 'network',
        error: new CollabError(
          'NETWORK_ERROR',
          closeMessage(close, `Connection lost (close ${close.code})`),
          details,
        ),
      };
  }
}

function kindOfCode(code: ErrorCode): FailureKind {
  if (AUTH_CODES.has(code)) return 'auth';
  if (FATAL_CODES.has(code)) return 'fatal';
  if (code === 'INTERNAL_ERROR' || code === 'STORAGE_UNAVAILABLE' || code === 'MESSAGE_TOO_LARGE')
    return 'server';
  if (code === 'SERVER_SHUTTING_DOWN') return 'restart';
  return 'network';
}

function closeMessage(close: SocketClose, fallback: string): string {
  return close.reason === '' ? fallback : `${fallback}: ${close.reason}`;
}
