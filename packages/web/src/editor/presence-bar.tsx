/** The people in this document now (you first), as avatars; idle people are dimmed. */
import type { CollabClient } from '@jd-collab/client';
import { usePresence } from '@jd-collab/client/react';
import { AvatarStack } from '../ui/avatar.js';
import { plural } from '../ui/format.js';

export function PresenceBar({ client }: { client: CollabClient | null }) {
  const { users } = usePresence(client);
  const self = client?.self ?? null;
  const people = [
    ...(self === null
      ? []
      : [
          {
            key: self.sessionId,
            name: self.name,
            color: self.color,
            status: 'active' as const,
            note: '(you)',
          },
        ]),
    ...users.map((u) => ({ key: u.sessionId, name: u.name, color: u.color, status: u.status })),
  ];
  if (people.length === 0) return null;
  const others = users.length;
  return (
    <div className="presence-bar">
      <AvatarStack
        people={people}
        max={5}
        label={`People in this document: ${people.map((p) => p.name).join(', ')}`}
      />
      <span className="presence-count muted small">
        {others === 0 ? 'Only you' : `You and ${plural(others, 'other')}`}
      </span>
    </div>
  );
}
