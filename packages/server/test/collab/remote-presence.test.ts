import type { PresenceUser } from '@jd-collab/protocol';
import { describe, expect, it } from 'vitest';
import { parsePresenceUser, RemotePresence } from '../../src/collab/remote-presence.js';

const user = (sessionId: string, extra: Partial<PresenceUser> = {}): PresenceUser => ({
  sessionId,
  userId: `u-${sessionId}`,
  name: `User ${sessionId}`,
  color: '#336699',
  status: 'active',
  lastActivity: 0,
  cursor: null,
  selection: null,
  ...extra,
});

const listed = (u: PresenceUser, serverId = 'other') => ({ sessionId: u.sessionId, serverId, data: u });

describe('RemotePresence', () => {
  it('adds listed users it missed and removes users the listing no longer has', () => {
    let now = 100;
    const remote = new RemotePresence(() => now);
    remote.upsert('other', user('gone'));
    now = 200;
    const result = remote.reconcile([listed(user('new')), listed(user('mine'), 'me')], 150, 'me');
    expect(result.joined.map((u) => u.sessionId)).toEqual(['new']);
    expect(result.left.map((u) => u.sessionId)).toEqual(['gone']);
    // This node's own sessions are never "remote".
    expect(remote.list().map((u) => u.sessionId)).toEqual(['new']);
  });

  it('keeps a user confirmed by a message after the listing started', () => {
    let now = 100;
    const remote = new RemotePresence(() => now);
    const listedAt = 100;
    now = 120;
    remote.upsert('other', user('fresh')); // its 'joined' overtook the listing
    expect(remote.reconcile([], listedAt, 'me').left).toEqual([]);
    expect(remote.has('fresh')).toBe(true);
  });

  it('does not revive a user who left after the listing started', () => {
    let now = 100;
    const remote = new RemotePresence(() => now);
    remote.upsert('other', user('leaver'));
    const listedAt = 110;
    now = 120;
    remote.remove('leaver');
    expect(remote.reconcile([listed(user('leaver'))], listedAt, 'me').joined).toEqual([]);
    expect(remote.has('leaver')).toBe(false);
  });

  it('maps remote carets through committed ops', () => {
    const remote = new RemotePresence();
    remote.upsert('other', user('s', { cursor: { position: 2 }, selection: { anchor: 1, head: 2 } }));
    remote.transform(['abc']);
    expect(remote.list()[0]).toMatchObject({ cursor: { position: 5 }, selection: { anchor: 4, head: 5 } });
  });

  it('refuses entries that are not presence users', () => {
    expect(parsePresenceUser({ sessionId: 's' })).toBeNull();
    const remote = new RemotePresence();
    expect(remote.reconcile([{ sessionId: 'x', serverId: 'o', data: 'junk' }], 0, 'me').joined).toEqual([]);
  });
});
