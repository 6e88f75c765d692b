import type { PresenceUser } from '@jd-collab/protocol';
import { describe, expect, it } from 'vitest';
import { PresenceStore } from '../src/presence-store.js';

function user(sessionId: string, extra: Partial<PresenceUser> = {}): PresenceUser {
  return {
    sessionId,
    userId: `u-${sessionId}`,
    name: `User ${sessionId}`,
    color: '#1565C0',
    status: 'active',
    lastActivity: 0,
    cursor: null,
    selection: null,
    ...extra,
  };
}

describe('PresenceStore', () => {
  it('lists the others, not ourselves, and follows joins and leaves', () => {
    const store = new PresenceStore();
    store.reset('me', [user('me'), user('a')], 10);
    expect(store.others.map((u) => u.sessionId)).toEqual(['a']);
    store.applyEvent({ event: 'joined', user: user('b') }, 10);
    store.applyEvent({ event: 'idle', user: user('a', { status: 'idle' }) }, 10);
    expect(store.others.map((u) => [u.sessionId, u.status])).toEqual([
      ['a', 'idle'],
      ['b', 'active'],
    ]);
    store.applyEvent({ event: 'left', user: user('a') }, 10);
    expect(store.others.map((u) => u.sessionId)).toEqual(['b']);
  });

  it('clamps positions to the text and moves cursors and selections through ops (code points)', () => {
    const store = new PresenceStore();
    store.reset('me', [user('a', { cursor: { position: 99 } })], 6);
    expect(store.get('a')?.cursor).toEqual({ position: 6 });
    store.applySelection(
      { sessionId: 'a', userId: 'u-a', name: 'A', color: '#1565C0', anchor: 2, head: 4 },
      5,
      6,
    );
    store.transform(['😀👩‍💻']); // 4 code points inserted at 0
    expect(store.get('a')?.selection).toEqual({ anchor: 6, head: 8 });
    store.transform([5, { d: 2 }]);
    expect(store.get('a')?.selection).toEqual({ anchor: 5, head: 6 });
    expect(
      store.applyCursor({ sessionId: 'ghost', userId: 'g', name: 'G', color: '#1565C0', position: 1 }, 0, 9),
    ).toBe(undefined);
  });
});
