/**
 * Where a client may put its access token:
 * - `Authorization: Bearer <JWT>` (HTTP API; also accepted on the WebSocket upgrade);
 * - the WebSocket subprotocol offer `jd-collab.auth.<JWT>` (browsers cannot set headers on a
 *   WebSocket, and unlike the URL the subprotocol header stays out of access logs);
 * - the `?token=<JWT>` query parameter (simplest for scripts; our logger strips it from URLs).
 * When several are present they are read in that order.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { AUTH_SUBPROTOCOL_PREFIX } from '@jd-collab/protocol';

/** The token from `Authorization: Bearer`, or null. */
export function extractBearerToken(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}

/** The token from a `jd-collab.auth.<JWT>` entry of `Sec-WebSocket-Protocol`, or null. */
export function extractSubprotocolToken(headers: IncomingHttpHeaders): string | null {
  const header = headers['sec-websocket-protocol'];
  if (header === undefined) return null;
  for (const offer of header.split(',')) {
    const protocol = offer.trim();
    if (protocol.startsWith(AUTH_SUBPROTOCOL_PREFIX) && protocol.length > AUTH_SUBPROTOCOL_PREFIX.length) {
      return protocol.slice(AUTH_SUBPROTOCOL_PREFIX.length);
    }
  }
  return null;
}

/** The token from the `token` query parameter, or null. */
export function extractQueryToken(url: string | undefined): string | null {
  if (url === undefined) return null;
  const query = url.indexOf('?');
  if (query === -1) return null;
  const token = new URLSearchParams(url.slice(query + 1)).get('token');
  return token === null || token === '' ? null : token;
}

/** The request's access token from any of the accepted places, or null when there is none. */
export function extractToken(req: Pick<IncomingMessage, 'headers' | 'url'>): string | null {
  return (
    extractBearerToken(req.headers) ?? extractSubprotocolToken(req.headers) ?? extractQueryToken(req.url)
  );
}
