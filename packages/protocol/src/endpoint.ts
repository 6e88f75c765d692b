/**
 * The WebSocket endpoint: `ws(s)://host/ws/document/{documentId}`, authenticated either by a `?token=JWT`
 * query parameter or by offering the subprotocols `jd-collab.v1` and `jd-collab.auth.<JWT>` (browsers
 * cannot set headers on a WebSocket, and a subprotocol keeps the token out of URLs and access logs).
 */
import { z } from 'zod';

/** The subprotocol the server selects; a client must offer it. */
export const PROTOCOL_NAME = 'jd-collab.v1';

/** Prefix of the subprotocol that carries the JWT: `jd-collab.auth.<JWT>`. */
export const AUTH_SUBPROTOCOL_PREFIX = 'jd-collab.auth.';

/** Path prefix of the endpoint; the document id follows it. */
export const DOCUMENT_PATH_PREFIX = '/ws/document/';

export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export const documentIdSchema = z.string().regex(DOCUMENT_ID_PATTERN, 'Invalid document id');

export function isValidDocumentId(value: unknown): value is string {
  return typeof value === 'string' && DOCUMENT_ID_PATTERN.test(value);
}

/** A document's incarnation (DocumentOpenPayload.incarnation): 1..64 of A-Z a-z 0-9 _ -. */
export const INCARNATION_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const incarnationSchema = z.string().regex(INCARNATION_PATTERN, 'Invalid incarnation');

/** The query parameter a reconnecting client names the incarnation it had open with. */
export const INCARNATION_PARAM = 'incarnation';

/** `/ws/document/{documentId}` (the id is validated, never URL-encoded: valid ids need no encoding). */
export function documentPath(documentId: string): string {
  if (!isValidDocumentId(documentId))
    throw new RangeError(`Invalid document id: ${JSON.stringify(documentId)}`);
  return `${DOCUMENT_PATH_PREFIX}${documentId}`;
}

/** The subprotocols a client offers to authenticate with `token` (JWTs only use subprotocol-safe characters). */
export function clientSubprotocols(token: string): [string, string] {
  return [PROTOCOL_NAME, `${AUTH_SUBPROTOCOL_PREFIX}${token}`];
}

export interface OfferedSubprotocols {
  /** Whether the client offered `jd-collab.v1` (the server selects it; otherwise it selects none). */
  supportsProtocol: boolean;
  /** The JWT from `jd-collab.auth.<JWT>`, if one was offered. */
  token: string | undefined;
}

/**
 * Reads the subprotocols a client offered: either the raw `Sec-WebSocket-Protocol` header value
 * ("a, b") or an already split list (ws passes a Set).
 */
export function readSubprotocols(offered: string | Iterable<string> | undefined): OfferedSubprotocols {
  const list = offered === undefined ? [] : typeof offered === 'string' ? offered.split(',') : [...offered];
  let supportsProtocol = false;
  let token: string | undefined;
  for (const raw of list) {
    const value = raw.trim();
    if (value === PROTOCOL_NAME) supportsProtocol = true;
    else if (token === undefined && value.startsWith(AUTH_SUBPROTOCOL_PREFIX)) {
      const candidate = value.slice(AUTH_SUBPROTOCOL_PREFIX.length);
      if (candidate !== '') token = candidate;
    }
  }
  return { supportsProtocol, token };
}
