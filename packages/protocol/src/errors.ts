/**
 * The one registry of protocol error codes. A code travels as `system.error.payload.code` during a
 * session, and as the HTTP status (with a JSON body `{ code, message }`) when the upgrade is refused.
 *
 * - `code` equals its key, so `ErrorCodes.X.code === 'X'`.
 * - `message` is the default human text; senders may pass a more specific one.
 * - `httpStatus` is used when the error refuses a WebSocket upgrade or an HTTP request.
 * - `closeCode` is the close code used when this error ends a connection.
 * - `closesConnection`: the server always closes the connection (with `closeCode`) after sending it.
 *   Errors without it answer one message and the session goes on.
 *
 * docs/protocol.md documents every entry (a test checks that).
 */
import { CloseCode } from './close-codes.js';
import { MAX_TEXT_LENGTH } from './limits.js';

export interface ErrorCodeInfo<C extends string = string> {
  readonly code: C;
  readonly message: string;
  readonly httpStatus: number;
  readonly closeCode?: CloseCode;
  readonly closesConnection: boolean;
}

function entry<const C extends string>(info: ErrorCodeInfo<C>): ErrorCodeInfo<C> {
  return info;
}

export const ErrorCodes = {
  INVALID_JSON: entry({
    code: 'INVALID_JSON',
    message: 'The frame is not valid JSON',
    httpStatus: 400,
    closesConnection: false,
  }),
  INVALID_MESSAGE: entry({
    code: 'INVALID_MESSAGE',
    message: 'The message does not match the protocol schema',
    httpStatus: 400,
    closesConnection: false,
  }),
  UNKNOWN_TYPE: entry({
    code: 'UNKNOWN_TYPE',
    message: 'Unknown message type',
    httpStatus: 400,
    closesConnection: false,
  }),
  INVALID_OP: entry({
    code: 'INVALID_OP',
    message: 'The operation is malformed or does not fit the document',
    httpStatus: 400,
    closesConnection: false,
  }),
  CHANGE_ID_REUSED: entry({
    code: 'CHANGE_ID_REUSED',
    message: 'This changeId was already used by you for a different change',
    httpStatus: 409,
    closesConnection: false,
  }),
  CHECKS_FAILED: entry({
    code: 'CHECKS_FAILED',
    message: 'The job description cannot be published while a check finds an error',
    httpStatus: 409,
    closesConnection: false,
  }),
  FORBIDDEN: entry({
    code: 'FORBIDDEN',
    message: 'You do not have permission to do this',
    httpStatus: 403,
    closeCode: CloseCode.POLICY_VIOLATION,
    closesConnection: false,
  }),
  RATE_LIMITED: entry({
    code: 'RATE_LIMITED',
    message: 'Too many messages; slow down and resend after retryAfter ms',
    httpStatus: 429,
    closeCode: CloseCode.POLICY_VIOLATION,
    closesConnection: false,
  }),
  TOO_MANY_CONNECTIONS: entry({
    code: 'TOO_MANY_CONNECTIONS',
    message: 'Too many connections from your address; close some, or retry later',
    httpStatus: 429,
    closeCode: CloseCode.POLICY_VIOLATION,
    closesConnection: true,
  }),
  MESSAGE_TOO_LARGE: entry({
    code: 'MESSAGE_TOO_LARGE',
    message: 'The frame or batch is too large',
    httpStatus: 413,
    closeCode: CloseCode.MESSAGE_TOO_BIG,
    closesConnection: false,
  }),
  CONFLICT: entry({
    code: 'CONFLICT',
    message: 'The change could not be applied to the current document version; resynchronize',
    httpStatus: 409,
    closesConnection: false,
  }),
  DOCUMENT_NOT_FOUND: entry({
    code: 'DOCUMENT_NOT_FOUND',
    message: 'Document not found',
    httpStatus: 404,
    closeCode: CloseCode.POLICY_VIOLATION,
    closesConnection: true,
  }),
  // Distinct from DOCUMENT_NOT_FOUND so a client can tell the person who deleted it and offer the
  // text they had not sent yet: their pending edits must never be applied to the id again.
  DOCUMENT_DELETED: entry({
    code: 'DOCUMENT_DELETED',
    message: 'This document was deleted',
    httpStatus: 410,
    closeCode: CloseCode.POLICY_VIOLATION,
    closesConnection: true,
  }),
  UNAUTHORIZED: entry({
    code: 'UNAUTHORIZED',
    message: 'Missing or invalid authentication token',
    httpStatus: 401,
    closeCode: CloseCode.POLICY_VIOLATION,
    closesConnection: true,
  }),
  TOKEN_EXPIRED: entry({
    code: 'TOKEN_EXPIRED',
    message: 'The authentication token has expired',
    httpStatus: 401,
    closeCode: CloseCode.POLICY_VIOLATION,
    closesConnection: true,
  }),
  INVALID_DOCUMENT_ID: entry({
    code: 'INVALID_DOCUMENT_ID',
    message: 'Invalid document id (expected 1..128 characters of A-Z a-z 0-9 _ -)',
    httpStatus: 400,
    closeCode: CloseCode.POLICY_VIOLATION,
    closesConnection: true,
  }),
  DOCUMENT_TOO_LARGE: entry({
    code: 'DOCUMENT_TOO_LARGE',
    message: 'The change would make the document longer than the largest allowed; it was not applied',
    httpStatus: 413,
    closesConnection: false,
  }),
  STORAGE_UNAVAILABLE: entry({
    code: 'STORAGE_UNAVAILABLE',
    message: 'The change could not be stored and was not applied; retry with the same changeId',
    httpStatus: 503,
    closesConnection: false,
  }),
  INTERNAL_ERROR: entry({
    code: 'INTERNAL_ERROR',
    message: 'Internal server error',
    httpStatus: 500,
    closeCode: CloseCode.INTERNAL_ERROR,
    closesConnection: true,
  }),
  SERVER_SHUTTING_DOWN: entry({
    code: 'SERVER_SHUTTING_DOWN',
    message: 'The server is shutting down; reconnect later',
    httpStatus: 503,
    closeCode: CloseCode.SERVICE_RESTART,
    closesConnection: true,
  }),
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** All codes, in registry order (handy for z.enum and for exhaustive tests). */
export const ERROR_CODES = Object.keys(ErrorCodes) as [ErrorCode, ...ErrorCode[]];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ErrorCodes, value);
}

/** The payload of a `system.error` message. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** Echo of the metadata.correlationId of the client message this error answers. */
  correlationId?: string;
  /** For RATE_LIMITED / STORAGE_UNAVAILABLE: wait this many ms before resending. */
  retryAfter?: number;
  /** The changeId of the refused document.change, when the error answers one. */
  changeId?: string;
  /** For DOCUMENT_DELETED, when known: who moved the document to the trash. */
  deletedBy?: DeletedBy;
  /** For DOCUMENT_DELETED, when known: when (ms since the epoch). */
  deletedAt?: number;
}

export interface DeletedBy {
  userId: string;
  name: string;
}

export interface ProtocolErrorExtra {
  correlationId?: string | undefined;
  retryAfter?: number | undefined;
  changeId?: string | undefined;
  deletedBy?: DeletedBy | undefined;
  deletedAt?: number | undefined;
}

/**
 * Builds a `system.error` payload: the registry's default message unless one is given. Undefined extras
 * are left out, so the payload serializes without `"x": undefined` noise.
 */
export function protocolError(
  code: ErrorCode,
  message?: string,
  extra: ProtocolErrorExtra = {},
): ErrorPayload {
  const text = message === undefined || message === '' ? ErrorCodes[code].message : message;
  const payload: ErrorPayload = { code, message: truncate(text, MAX_TEXT_LENGTH) };
  if (extra.correlationId !== undefined) payload.correlationId = extra.correlationId;
  if (extra.retryAfter !== undefined) payload.retryAfter = Math.max(0, Math.ceil(extra.retryAfter));
  if (extra.changeId !== undefined) payload.changeId = extra.changeId;
  if (extra.deletedBy !== undefined) payload.deletedBy = { ...extra.deletedBy };
  if (extra.deletedAt !== undefined) payload.deletedAt = extra.deletedAt;
  return payload;
}

/** Cuts text to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
