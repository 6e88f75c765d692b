/**
 * Creating and disposing a CollabClient with a component's lifetime. The client is created in an
 * effect (not during render, which React may repeat or discard) and left on unmount or when the
 * document changes (closed at once, or once its last edits are acknowledged: CollabClient.leave),
 * so StrictMode's double mount leaves exactly one live connection.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ClientState, CollabClientOptions } from '../client-types.js';
import { CollabClient } from '../collab-client.js';
import type { CollabError } from '../errors.js';

export type UseCollabClientOptions = Omit<CollabClientOptions, 'documentId'>;

/**
 * Returns the client for `documentId` (null during the first render, or when documentId is null).
 * Only `documentId` and `options.url` re-create the client; the latest `getToken` is always used.
 */
export function useCollabClient(
  documentId: string | null,
  options: UseCollabClientOptions,
): CollabClient | null {
  const [client, setClient] = useState<CollabClient | null>(null);
  const latest = useRef(options);
  latest.current = options;
  const { url } = options;
  useEffect(() => {
    if (documentId === null) return;
    const created = new CollabClient({
      ...latest.current,
      url,
      documentId,
      getToken: () => latest.current.getToken(),
    });
    setClient(created);
    return () => {
      // Leaving right after typing: the last edits may still be batched or awaiting their ack.
      void created.leave();
      setClient((current) => (current === created ? null : current));
    };
  }, [documentId, url]);
  return client;
}

const NO_STATE: ClientState = {
  status: 'connecting',
  pendingCount: 0,
  version: 0,
  lastError: null,
  canWrite: false,
  deleted: null,
};

/** The client's state, re-rendering on every change of it. */
export function useClientState(client: CollabClient | null): ClientState {
  const cache = useRef<{ client: CollabClient | null; state: ClientState }>({
    client: null,
    state: NO_STATE,
  });
  return useSyncExternalStore(
    (notify) => client?.on('state', notify) ?? noop,
    () => {
      if (client === null) return NO_STATE;
      const next = client.state;
      const previous = cache.current;
      // useSyncExternalStore needs a stable snapshot: reuse the object while nothing changed.
      if (previous.client !== client || !sameState(previous.state, next))
        cache.current = { client, state: next };
      return cache.current.state;
    },
  );
}

export interface UseWebSocketResult {
  readonly client: CollabClient | null;
  readonly isConnected: boolean;
  readonly status: ClientState['status'];
  readonly connectionError: CollabError | null;
}

/** The design's useWebSocket(documentId): the client plus its connection status. */
export function useWebSocket(documentId: string | null, options: UseCollabClientOptions): UseWebSocketResult {
  const client = useCollabClient(documentId, options);
  const state = useClientState(client);
  return {
    client,
    isConnected: state.status === 'connected',
    status: state.status,
    connectionError: state.lastError,
  };
}

function sameState(a: ClientState, b: ClientState): boolean {
  return (
    a.status === b.status &&
    a.pendingCount === b.pendingCount &&
    a.version === b.version &&
    a.lastError === b.lastError &&
    a.canWrite === b.canWrite
  );
}

function noop(): void {}
