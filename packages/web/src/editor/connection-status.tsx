/**
 * Whether edits are reaching the server. Quiet when all is well ("All changes saved"), a visible
 * banner when not, always with the number of edits still waiting, and a way to try again once the
 * client has given up. Announced to screen readers through a polite live region.
 */
import type { ClientState, CollabClient } from '@jd-collab/client';
import { useSyncExternalStore } from 'react';
import { plural } from '../ui/format.js';

export interface ConnectionView {
  tone: 'ok' | 'busy' | 'warning' | 'error';
  /** Short text for the toolbar pill. */
  short: string;
  /** A full sentence for the banner (null: no banner needed). */
  banner: string | null;
}

/**
 * Pure: what to tell the user for a client state. `online` is the browser's own view of the
 * network (navigator.onLine): when it knows the network is gone, say so at once instead of waiting
 * for the connection to time out, while the client keeps the edits and keeps trying.
 */
export function describeConnection(state: ClientState, isOpen: boolean, online = true): ConnectionView {
  const waiting = state.pendingCount;
  const edits = plural(waiting, 'edit');
  if (!online && isOpen && state.status !== 'offline') {
    return {
      tone: 'error',
      short: waiting > 0 ? `Offline · ${waiting} waiting` : 'Offline',
      banner:
        waiting > 0
          ? `You are offline. ${edits} waiting to be sent: keep working, they will be sent when your connection is back.`
          : 'You are offline. Keep working: your edits will be sent when your connection is back.',
    };
  }
  switch (state.status) {
    case 'connecting':
      return { tone: 'busy', short: 'Connecting…', banner: null };
    case 'connected':
      return waiting === 0
        ? { tone: 'ok', short: 'All changes saved', banner: null }
        : { tone: 'busy', short: `Saving ${edits}…`, banner: null };
    case 'reconnecting':
      return {
        tone: 'warning',
        short: waiting > 0 ? `Reconnecting · ${waiting} waiting` : 'Reconnecting…',
        banner:
          waiting > 0
            ? `Connection lost. Reconnecting… ${edits} waiting to be sent. Keep working: nothing is lost.`
            : 'Connection lost. Reconnecting… You can keep working.',
      };
    case 'offline': {
      const why = state.lastError?.message ?? 'The connection to the server was closed.';
      if (!isOpen) return { tone: 'error', short: 'Offline', banner: `Cannot open this document. ${why}` };
      return {
        tone: 'error',
        short: waiting > 0 ? `Offline · ${waiting} waiting` : 'Offline',
        banner:
          waiting > 0
            ? `You are offline. ${edits} waiting to be sent: keep this tab open and they will be sent when you reconnect. ${why}`
            : `You are offline. ${why}`,
      };
    }
  }
}

export function ConnectionPill({ view }: { view: ConnectionView }) {
  return (
    <span className={`connection-pill tone-${view.tone}`} data-testid="connection-status">
      <span className="dot" aria-hidden="true" />
      {view.short}
    </span>
  );
}

export function ConnectionBanner({
  view,
  status,
  client,
}: {
  view: ConnectionView;
  status: ClientState['status'];
  client: CollabClient | null;
}) {
  return (
    <div role="status" aria-live="polite" className="connection-banner-region">
      {view.banner !== null && (
        <div className={`connection-banner tone-${view.tone}`}>
          <span>{view.banner}</span>
          {status === 'offline' && client !== null && (
            <button type="button" className="button button-small" onClick={() => client.retry()}>
              Try again now
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function subscribeOnline(notify: () => void): () => void {
  window.addEventListener('online', notify);
  window.addEventListener('offline', notify);
  return () => {
    window.removeEventListener('online', notify);
    window.removeEventListener('offline', notify);
  };
}

/** The browser's view of the network (true when unknown). */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}
