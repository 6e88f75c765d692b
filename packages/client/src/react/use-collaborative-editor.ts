/** The editor-facing hook: the current text and the way to change it, re-rendering on every change. */
import type { Op } from '@jd-collab/ot';
import { useCallback, useSyncExternalStore } from 'react';
import type { ClientState } from '../client-types.js';
import type { CollabClient } from '../collab-client.js';
import type { CollabError } from '../errors.js';
import { useClientState } from './use-collab-client.js';

export interface CollaborativeEditor {
  /** The local text (code points are the unit of every position). */
  readonly text: string;
  /** Applies a local edit; throws CollabError (INVALID_OP, FORBIDDEN, NOT_READY) like the client. */
  readonly applyLocalChange: (op: Op) => void;
  readonly status: ClientState['status'];
  readonly pendingCount: number;
  readonly canWrite: boolean;
  readonly lastError: CollabError | null;
  /** False until the document was loaded once. */
  readonly ready: boolean;
}

export function useCollaborativeEditor(client: CollabClient | null): CollaborativeEditor {
  const text = useSyncExternalStore(
    (notify) => client?.on('change', notify) ?? noop,
    () => client?.text ?? '',
  );
  const state = useClientState(client);
  const applyLocalChange = useCallback(
    (op: Op) => {
      if (client === null) throw new Error('useCollaborativeEditor: no client yet');
      client.applyLocalChange(op);
    },
    [client],
  );
  return {
    text,
    applyLocalChange,
    status: state.status,
    pendingCount: state.pendingCount,
    canWrite: state.canWrite,
    lastError: state.lastError,
    ready: client?.isOpen ?? false,
  };
}

function noop(): void {}
