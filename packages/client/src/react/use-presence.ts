/** Who else is here and where their cursors are, re-rendering on every presence change. */
import type { PresenceUser } from '@jd-collab/protocol';
import { useMemo, useSyncExternalStore } from 'react';
import type { CollabClient } from '../collab-client.js';

export interface RemoteCursor {
  readonly sessionId: string;
  readonly userId: string;
  readonly name: string;
  readonly color: string;
  /** Code points in the local text. */
  readonly position: number;
  readonly selection: { readonly anchor: number; readonly head: number } | null;
}

export interface Presence {
  /** The other sessions (one user with two tabs appears twice). */
  readonly users: readonly PresenceUser[];
  /** The others' cursors that are placed, for rendering in the editor. */
  readonly cursors: readonly RemoteCursor[];
}

const NOBODY: readonly PresenceUser[] = [];

export function usePresence(client: CollabClient | null): Presence {
  const users = useSyncExternalStore(
    (notify) => client?.on('presence', notify) ?? noop,
    () => client?.users ?? NOBODY,
  );
  const cursors = useMemo(
    () =>
      users.flatMap((u): RemoteCursor[] =>
        u.cursor === null
          ? []
          : [
              {
                sessionId: u.sessionId,
                userId: u.userId,
                name: u.name,
                color: u.color,
                position: u.cursor.position,
                selection: u.selection,
              },
            ],
      ),
    [users],
  );
  return { users, cursors };
}

function noop(): void {}
