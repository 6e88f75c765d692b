/**
 * Three routes do not need a router library: `/` (the documents), `/documents/:id` (the editor)
 * and `/trash` (deleted documents).
 * Real paths (not #hashes) so links can be shared and opened in new tabs; the server answers any
 * unknown GET with index.html (SPA fallback), so reloads work.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'documents' }
  | { name: 'editor'; documentId: string }
  | { name: 'trash' }
  | { name: 'not-found' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'documents' };
  if (pathname === '/trash' || pathname === '/trash/') return { name: 'trash' };
  const match = /^\/documents\/([A-Za-z0-9_-]{1,128})\/?$/.exec(pathname);
  if (match?.[1] !== undefined) return { name: 'editor', documentId: match[1] };
  return { name: 'not-found' };
}

export function documentPath(id: string): string {
  return `/documents/${encodeURIComponent(id)}`;
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}
