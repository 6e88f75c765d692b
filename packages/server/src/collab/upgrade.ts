/**
 * The upgrade gate: everything is checked while the request is still plain HTTP, so a refused
 * client gets a real status code (and a JSON reason) instead of an opened-then-closed socket.
 *
 * Order: path (404) -> document id and query (400) -> Origin (403) -> token (401) -> read
 * permission (403) -> the document exists (404), is not in the trash and is the incarnation the
 * client names, if it names one (DOCUMENT_DELETED otherwise).
 *
 * Opening an id never creates it: documents are created by POST /api/documents only. (Opening
 * used to create an empty draft, so a mistyped link or a reconnect after a delete brought a
 * phantom "Untitled" document into everyone's list.)
 * Tokens are never logged: only the path is, never the URL (which may carry ?token=).
 */
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  DOCUMENT_PATH_PREFIX,
  type ErrorCode,
  ErrorCodes,
  INCARNATION_PARAM,
  incarnationSchema,
  isValidDocumentId,
} from '@jd-collab/protocol';
import type { Logger } from 'pino';
import { extractToken } from '../auth/extract-token.js';
import { isOriginAllowed } from '../auth/origin.js';
import { canRead, canWrite } from '../auth/permissions.js';
import type { DocumentStore } from '../storage/types.js';
import type { Deletion } from './deletion.js';
import type { DocumentRoom } from './document-room.js';
import type { RoomRegistry } from './room-registry.js';
import type { CollabConfig, Principal, TokenVerifier } from './types.js';

export interface UpgradeGateDeps {
  config: Pick<CollabConfig, 'allowedOrigins'>;
  store: DocumentStore;
  tokens: TokenVerifier;
  rooms: RoomRegistry;
  logger: Logger;
}

export type UpgradeDecision =
  /** The room is pinned for this connection: release it if the upgrade does not complete. */
  | { ok: true; documentId: string; principal: Principal; canWrite: boolean; room: DocumentRoom }
  /** outcome: the metrics label (websocket_connections_total{status}). */
  | { ok: false; status: number; code: ErrorCode; message: string; outcome: string }
  /**
   * The document was deleted. Not refused at the upgrade: browsers cannot read a refusal, and the
   * client must learn who deleted it. The socket is opened to send DOCUMENT_DELETED and closed.
   */
  | { ok: 'deleted'; documentId: string; deletion: Deletion | null };

const OUTCOMES: Partial<Record<ErrorCode, string>> = {
  UNAUTHORIZED: 'rejected_auth',
  TOKEN_EXPIRED: 'rejected_auth',
  FORBIDDEN: 'rejected_forbidden',
  INVALID_DOCUMENT_ID: 'rejected_invalid',
  DOCUMENT_NOT_FOUND: 'rejected_not_found',
  SERVER_SHUTTING_DOWN: 'rejected_shutdown',
};

export function refusal(
  code: ErrorCode,
  message?: string,
  status?: number,
  outcome?: string,
): UpgradeDecision & { ok: false } {
  const info = ErrorCodes[code];
  return {
    ok: false,
    status: status ?? info.httpStatus,
    code,
    message: message ?? info.message,
    outcome: outcome ?? OUTCOMES[code] ?? 'rejected_error',
  };
}

const refuse = refusal;

/** The document id of a `/ws/document/{id}` path; null for another path, '' for a bad id. */
export function documentIdFromUrl(url: string | undefined): string | null {
  const path = (url ?? '/').split('?', 1)[0]!;
  if (!path.startsWith(DOCUMENT_PATH_PREFIX)) return null;
  let id: string;
  try {
    id = decodeURIComponent(path.slice(DOCUMENT_PATH_PREFIX.length));
  } catch {
    return '';
  }
  return isValidDocumentId(id) ? id : '';
}

export async function authorizeUpgrade(
  req: IncomingMessage,
  deps: UpgradeGateDeps,
): Promise<UpgradeDecision> {
  const documentId = documentIdFromUrl(req.url);
  if (documentId === null)
    return refuse('DOCUMENT_NOT_FOUND', 'No WebSocket endpoint at this path', 404, 'rejected_invalid');
  if (documentId === '') return refuse('INVALID_DOCUMENT_ID');
  const incarnation = incarnationFromUrl(req.url);
  if (incarnation === null) return refuse('INVALID_MESSAGE', 'Invalid incarnation query parameter', 400);
  if (!isOriginAllowed(deps.config.allowedOrigins, req.headers)) {
    return refuse('FORBIDDEN', 'This origin may not open collaboration sockets', 403, 'rejected_origin');
  }

  const token = extractToken(req);
  if (token === null) return refuse('UNAUTHORIZED', 'Missing authentication token');
  let principal: Principal;
  try {
    principal = await deps.tokens.verify(token);
  } catch (error) {
    const code = (error as { code?: unknown }).code === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHORIZED';
    const message = error instanceof Error ? error.message : undefined;
    return refuse(code, message);
  }
  if (!canRead(principal, documentId)) {
    return refuse('FORBIDDEN', 'You do not have access to this document', 403);
  }
  const writer = canWrite(principal, documentId);

  const room = await deps.rooms.acquire(documentId);
  if (room) {
    // Same id, another creation: the client's pending edits were made for a document that is gone.
    if (incarnation !== undefined && incarnation !== room.incarnation) {
      deps.rooms.release(room);
      return { ok: 'deleted', documentId, deletion: null };
    }
    return { ok: true, documentId, principal, canWrite: writer, room };
  }
  const meta = await deps.store.findDocument(documentId);
  if (meta?.deletedAt != null) {
    const deletion = { userId: meta.deletedBy ?? '', name: meta.deletedByName ?? '', at: meta.deletedAt };
    return { ok: 'deleted', documentId, deletion: deletion.name === '' ? null : deletion };
  }
  // A client that had the document open (it names an incarnation) and finds no document: purged.
  if (incarnation !== undefined) return { ok: 'deleted', documentId, deletion: null };
  return refuse('DOCUMENT_NOT_FOUND');
}

/** The `?incarnation=` a reconnecting client names (zod at the edge); null when malformed. */
function incarnationFromUrl(url: string | undefined): string | undefined | null {
  const query = (url ?? '').split('?', 2)[1];
  const value = new URLSearchParams(query ?? '').get(INCARNATION_PARAM);
  if (value === null) return undefined;
  const parsed = incarnationSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Answers a refused upgrade on the raw socket: an HTTP status and a JSON `{ code, message }`. */
export function writeRefusal(socket: Duplex, status: number, code: ErrorCode, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ code, message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}
