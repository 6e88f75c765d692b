/**
 * Avatars of the people on the document: initials on their user color, dimmed when idle, with
 * accessible names ("Alice Adams, active") and an overflow counter. Written with createElement so
 * the package needs no JSX build setting.
 */
import type { PresenceUser } from '@jd-collab/protocol';
import { createElement, type ReactElement } from 'react';
import type { CollabClient } from '../collab-client.js';
import { usePresence } from './use-presence.js';

export interface PresenceIndicatorProps {
  readonly client: CollabClient | null;
  /** Avatars shown before "+N". Default 5. */
  readonly max?: number;
  readonly className?: string;
}

/** "Alice Adams" → "AA", "bob" → "B", "  " → "?". Uses code points, so emoji names stay whole. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  if (first === undefined) return '?';
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  const letter = (word: string): string => (Array.from(word)[0] ?? '').toLocaleUpperCase();
  return letter(first) + (last === undefined ? '' : letter(last));
}

export function PresenceIndicator({ client, max = 5, className }: PresenceIndicatorProps): ReactElement {
  const { users } = usePresence(client);
  const shown = users.slice(0, max);
  const hidden = users.length - shown.length;
  const label =
    users.length === 1 ? '1 other person on this document' : `${users.length} other people on this document`;
  return createElement(
    'ul',
    {
      className: className ?? 'jd-presence',
      'aria-label': label,
      style: { display: 'flex', listStyle: 'none', gap: 4, margin: 0, padding: 0 },
    },
    ...shown.map((user) => avatar(user)),
    hidden > 0
      ? createElement(
          'li',
          {
            key: '+more',
            'aria-label': `and ${hidden} more`,
            className: 'jd-presence-more',
            style: circle('#555'),
          },
          `+${hidden}`,
        )
      : null,
  );
}

function avatar(user: PresenceUser): ReactElement {
  const idle = user.status === 'idle';
  return createElement(
    'li',
    {
      key: user.sessionId,
      'aria-label': `${user.name}, ${idle ? 'idle' : 'active'}`,
      title: `${user.name} (${idle ? 'idle' : 'active'})`,
      'data-status': user.status,
      className: 'jd-presence-avatar',
      style: { ...circle(user.color), opacity: idle ? 0.5 : 1 },
    },
    createElement('span', { 'aria-hidden': true }, initials(user.name)),
  );
}

function circle(color: string) {
  return {
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: 28,
    height: 28,
    borderRadius: '50%',
    background: color,
    color: '#fff',
    fontSize: 12,
    fontWeight: 600,
  } as const;
}
