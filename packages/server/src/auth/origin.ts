/**
 * Origin check for WebSocket upgrades. Browsers send any site's cookies and let any page open a
 * socket to us, so the Origin header is what tells us which page is asking (cross-site WebSocket
 * hijacking). See `Config.allowedOrigins` for the policy:
 * `['*']` any origin, `[]` same-origin only (Origin host equals Host), otherwise an exact list.
 * A request without Origin is not from a browser page and is allowed.
 */
import type { IncomingHttpHeaders } from 'node:http';

export function isOriginAllowed(allowedOrigins: readonly string[], headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes('*')) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // includes the literal "null" origin of sandboxed frames and file: pages
  }
  if (allowedOrigins.length === 0) {
    const host = headers.host;
    return host !== undefined && parsed.host === host.toLowerCase();
  }
  return allowedOrigins.includes(parsed.origin);
}
