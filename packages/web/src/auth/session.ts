/**
 * The signed-in session: a JWT plus who it belongs to, kept in localStorage so a reload or a second
 * tab stays signed in. Tokens come from the development sign-in, from a paste, or from the
 * organisation's identity provider, which redirects to the app with `#token=<JWT>` in the URL
 * fragment (fragments are never sent to servers, so the token stays out of access logs). See
 * docs/web.md.
 */
import type { User } from '../api.js';

export interface Session {
  token: string;
  user: User;
  /** ms since epoch, or null if the token does not say. */
  expiresAt: number | null;
}

const STORAGE_KEY = 'jd-collab.session';

export function loadSession(storage: Storage, now = Date.now()): Session | null {
  let raw: string | null;
  try {
    raw = storage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (private mode, policy): behave as signed out
  }
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<Session>;
    if (typeof value.token !== 'string' || typeof value.user?.id !== 'string') return null;
    const expiresAt = typeof value.expiresAt === 'number' ? value.expiresAt : null;
    if (expiresAt !== null && expiresAt <= now) return null;
    return { token: value.token, user: value.user, expiresAt };
  } catch {
    return null;
  }
}

export function saveSession(storage: Storage, session: Session): void {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Without storage the session lasts until the tab closes; nothing else to do.
  }
}

export function clearSession(storage: Storage): void {
  try {
    storage.removeItem(STORAGE_KEY);
  } catch {
    // see saveSession
  }
}

/**
 * A token handed over in the URL fragment (`#token=...`, as an identity provider's redirect or a
 * shared sign-in link does), or null. The caller removes the fragment from the address bar.
 */
export function tokenFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token') ?? params.get('access_token');
  return token !== null && token.trim() !== '' ? token.trim() : null;
}
