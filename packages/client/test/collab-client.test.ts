import { codePointLength } from '@jd-collab/ot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../src/client-types.js';
import type { CollabError } from '../src/errors.js';
import { FakeServer } from './fake-server.js';
import { closeAllClients, connected, makeClient, synced, typeAt, waitUntil } from './helpers.js';

let server: FakeServer;

beforeEach(async () => {
  server = await FakeServer.start({ text: 'Job: 工程师 👩‍💻 e\u0301' });
  server.addUser('alice-token', { userId: 'alice', name: 'Alice Adams' });
  server.addUser('bob-token', { userId: 'bob', name: 'Bob Brown' });
  server.addUser('reader-token', { userId: 'rita', name: 'Rita Reader', canWrite: false });
});

afterEach(async () => {
  closeAllClients();
  await server.close();
});

function fullSyncRequests(): number {
  return server.received.filter((m) => m.type === 'sync.request' && m.payload.sinceVersion === undefined)
    .length;
}

function commitsBy(userId: string): number {
  return server.history.filter((c) => c.userId === userId).length;
}

describe('CollabClient against a protocol-level fake server', () => {
  it('opens the document with the token in the subprotocol and converges two editors', async () => {
    const alice = makeClient(server, 'alice-token');
    const bob = makeClient(server, 'bob-token');
    const bobChanges: ChangeEvent[] = [];
    bob.on('change', (e) => bobChanges.push(e));
    await waitUntil(() => connected(alice) && connected(bob), [alice, bob], 'both connected');
    expect(alice.text).toBe(server.text);
    expect(alice.self?.name).toBe('Alice Adams');

    typeAt(alice, 0, 'Senior ');
    typeAt(bob, codePointLength(bob.text), ' (remote)');
    typeAt(alice, 7, '👍');
    await waitUntil(() => synced(alice, server) && synced(bob, server), [alice, bob], 'converged');
    expect(server.text).toBe('Senior 👍Job: 工程师 👩‍💻 e\u0301 (remote)');
    expect(server.replay()).toBe(server.text);
    expect(bobChanges.some((e) => e.origin === 'remote' && e.userId === 'alice')).toBe(true);
    expect(bobChanges[0]?.origin).toBe('resync'); // the initial load
  });

  it('applies a document.changes batch entry by entry, with each author', async () => {
    const alice = makeClient(server, 'alice-token');
    const remote: ChangeEvent[] = [];
    alice.on('change', (e) => {
      if (e.origin === 'remote') remote.push(e);
    });
    await waitUntil(() => connected(alice), [alice], 'connected');
    typeAt(alice, 0, '>');
    await waitUntil(() => synced(alice, server), [alice], 'edit committed');
    server.commitBatch([
      { userId: 'carol', op: ['1'] },
      { userId: 'dave', op: [2, '2'] },
    ]);
    await waitUntil(() => synced(alice, server), [alice], 'batch applied');
    expect(remote.map((e) => [e.userId, e.userName, e.op])).toEqual([
      ['carol', 'CAROL', ['1']],
      ['dave', 'DAVE', [2, '2']],
    ]);
    expect(alice.text).toBe(server.text);
    expect(server.text.startsWith('1>2Job')).toBe(true);
  });

  it('sends the token in the query string when asked to', async () => {
    const alice = makeClient(server, 'alice-token', { tokenTransport: 'query' });
    await waitUntil(() => connected(alice), [alice], 'connected');
    expect(alice.text).toBe(server.text);
  });

  it('keeps edits made offline and delivers each exactly once after reconnecting', async () => {
    const alice = makeClient(server, 'alice-token');
    const bob = makeClient(server, 'bob-token');
    await waitUntil(() => connected(alice) && connected(bob), [alice, bob], 'connected');
    const states: string[] = [];
    alice.on('state', (s) => states.push(s.status));
    server.faults.upgradeStatus = 503; // stay offline for a few attempts
    server.dropAll();
    await waitUntil(() => alice.state.status === 'reconnecting', [alice], 'reconnecting');
    typeAt(alice, 0, 'A1 ');
    typeAt(alice, 0, 'A0 ');
    typeAt(bob, 0, 'B ');
    expect(alice.state.pendingCount).toBe(2);
    await waitUntil(() => server.upgrades >= 4, [alice, bob], 'failed attempts');
    server.faults.upgradeStatus = null;
    await waitUntil(() => synced(alice, server) && synced(bob, server), [alice, bob], 'converged');
    expect(server.text.split('A0 ').length - 1).toBe(1);
    expect(server.text.split('A1 ').length - 1).toBe(1);
    expect(server.text.split('B ').length - 1).toBe(1);
    expect(states).toContain('reconnecting');
  });

  it('treats its own change found in the resync list as acknowledged when the ack was lost', async () => {
    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    server.faults.dropAcks = 1;
    typeAt(alice, 0, '★');
    await waitUntil(() => commitsBy('alice') === 1, [alice], 'committed');
    expect(alice.state.pendingCount).toBe(1); // the ack never came
    server.dropAll();
    await waitUntil(
      () => synced(alice, server) && alice.state.version === server.version,
      [alice],
      'resynced',
    );
    expect(commitsBy('alice')).toBe(1);
    expect(server.text.split('★').length - 1).toBe(1);
  });

  it('resends an unacknowledged change with the same changeId after the ack timeout', async () => {
    const alice = makeClient(server, 'alice-token', { ackTimeoutMs: 50 });
    await waitUntil(() => connected(alice), [alice], 'connected');
    server.faults.dropAcks = 1;
    typeAt(alice, 0, '✓');
    await waitUntil(() => synced(alice, server), [alice], 'acked after resend');
    const sent = server.received.filter((m) => m.type === 'document.change');
    expect(sent.length).toBe(2);
    const ids = sent.map((m) =>
      m.type === 'document.change' && 'changeId' in m.payload ? m.payload.changeId : '',
    );
    expect(ids[0]).toBe(ids[1]);
    expect(commitsBy('alice')).toBe(1);
  });

  it('waits retryAfter and resends when rate limited', async () => {
    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    const errors: CollabError[] = [];
    alice.on('error', (e) => errors.push(e));
    server.faults.rateLimit = 2;
    typeAt(alice, 0, 'x');
    await waitUntil(() => synced(alice, server), [alice], 'delivered after the pause');
    expect(errors.map((e) => e.code)).toContain('RATE_LIMITED');
    expect(server.text.startsWith('x')).toBe(true);
    expect(alice.state.lastError).toBeNull(); // a rate limit is handled, not a failure
  });

  it('repeats a sync request that was rate limited on reconnect', async () => {
    const alice = makeClient(server, 'alice-token');
    const bob = makeClient(server, 'bob-token');
    await waitUntil(() => connected(alice) && connected(bob), [alice, bob], 'connected');
    server.revokeToken('alice-token');
    server.dropAll();
    await waitUntil(() => alice.state.status === 'offline' && connected(bob), [alice, bob], 'alice out');
    typeAt(bob, 0, 'while you were away: ');
    await waitUntil(() => synced(bob, server), [bob], 'bob committed');
    server.addUser('alice-token', { userId: 'alice', name: 'Alice Adams' });
    server.faults.rateLimit = 1; // alice's first frame will be her sync.request
    alice.retry();
    await waitUntil(() => synced(alice, server), [alice], 'alice caught up');
    const syncs = server.received.filter((m) => m.type === 'sync.request');
    expect(syncs.length).toBeGreaterThanOrEqual(1);
  });

  it('retries STORAGE_UNAVAILABLE with the same changeId, then goes offline after too many, keeping the edit', async () => {
    const alice = makeClient(server, 'alice-token', { maxServerErrors: 3 });
    await waitUntil(() => connected(alice), [alice], 'connected');
    server.faults.storageFailures = 1;
    typeAt(alice, 0, 'a');
    await waitUntil(() => synced(alice, server), [alice], 'stored on retry');

    server.faults.storageFailures = 100;
    typeAt(alice, 1, 'b');
    await waitUntil(() => alice.state.status === 'offline', [alice], 'gave up');
    expect(alice.state.lastError?.code).toBe('STORAGE_UNAVAILABLE');
    expect(alice.state.pendingCount).toBe(1);
    expect(alice.text.startsWith('ab')).toBe(true);

    server.faults.storageFailures = 0;
    alice.retry();
    await waitUntil(() => synced(alice, server), [alice], 'delivered after manual retry');
    expect(server.text.startsWith('ab')).toBe(true);
  });

  it('asks getToken again once when the token is refused, then reports UNAUTHORIZED offline', async () => {
    let calls = 0;
    const alice = makeClient(server, 'unused', {
      getToken: async () => {
        calls++;
        return 'bad-token';
      },
    });
    await waitUntil(() => alice.state.status === 'offline', [alice], 'offline');
    expect(calls).toBe(2);
    expect(alice.state.lastError?.code).toBe('UNAUTHORIZED');
  });

  it('reconnects with a fresh token after TOKEN_EXPIRED', async () => {
    const tokens = ['alice-token', 'alice-token-2'];
    server.addUser('alice-token-2', { userId: 'alice', name: 'Alice Adams' });
    let calls = 0;
    const alice = makeClient(server, 'unused', { getToken: () => tokens[Math.min(calls++, 1)]! });
    await waitUntil(() => connected(alice), [alice], 'connected');
    server.revokeToken('alice-token');
    server.expireSessions();
    typeAt(alice, 0, 'z');
    await waitUntil(() => synced(alice, server) && calls === 2, [alice], 'reconnected with the new token');
    expect(server.text.startsWith('z')).toBe(true);
  });

  it('gives up at once on a document that does not exist', async () => {
    const ghost = makeClient(server, 'alice-token', { documentId: 'no-such-doc' });
    await waitUntil(() => ghost.state.status === 'offline', [ghost], 'offline');
    expect(ghost.state.lastError?.code).toBe('DOCUMENT_NOT_FOUND');
    expect(server.upgrades).toBe(1);
  });

  it('takes a new title and status from document.updated and emits updated', async () => {
    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    const seen: { title: string; status: string }[] = [];
    alice.on('updated', (u) => seen.push({ title: u.title, status: u.status }));
    server.updateMeta({
      title: 'Staff Engineer',
      department: 'Engineering',
      status: 'review',
      updatedBy: 'bob',
      updatedByName: 'Bob',
      updatedAt: 1_700_000_000_000,
    });
    await waitUntil(() => seen.length === 1, [alice], 'updated');
    expect(seen).toEqual([{ title: 'Staff Engineer', status: 'review' }]);
    expect(alice.title).toBe('Staff Engineer');
  });

  it('stops for good when the open document is deleted, says who, and keeps the unsent text', async () => {
    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    const errors: CollabError[] = [];
    const deleted: unknown[] = [];
    alice.on('error', (e) => errors.push(e));
    alice.on('deleted', (d) => deleted.push(d));
    // The change is refused (not applied) and retried only in a minute: it stays pending.
    server.faults.storageFailures = 1000;
    server.faults.storageRetryAfter = 60_000;
    typeAt(alice, 0, 'unsent ');
    await new Promise((r) => setTimeout(r, 50));
    server.deleteDocument();
    await waitUntil(() => alice.state.status === 'offline', [alice], 'offline');
    expect(alice.state.lastError?.code).toBe('DOCUMENT_DELETED');
    expect(alice.state.deleted).toEqual({
      deletedBy: { userId: 'root', name: 'Root Admin' },
      deletedAt: 1_700_000_000_000,
      pendingCount: 1,
    });
    expect(deleted).toEqual([alice.state.deleted]);
    expect(errors.map((e) => e.message)).toContain('This document was deleted by Root Admin');
    expect(alice.text.startsWith('unsent ')).toBe(true);
    alice.retry(); // terminal: does nothing
    await new Promise((r) => setTimeout(r, 50));
    expect(server.upgrades).toBe(1);
  });

  it('reconnects naming its incarnation, and treats a document.open of another one as deleted', async () => {
    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    expect(server.upgradeUrls[0]).not.toContain('incarnation=');
    server.faults.silent = true; // the edit is never taken: it stays pending
    typeAt(alice, 0, 'for the first life ');
    server.incarnation = 'second-life'; // the id was deleted and created again meanwhile
    const before = server.text;
    server.dropAll();
    await waitUntil(() => alice.state.deleted !== null, [alice], 'deleted');
    expect(server.upgradeUrls[1]).toContain('incarnation=first-life');
    expect(alice.state.deleted?.deletedBy).toBeNull();
    expect(alice.state.status).toBe('offline');
    server.faults.silent = false;
    await new Promise((r) => setTimeout(r, 50));
    expect(server.text).toBe(before); // nothing of the old life reached the new document
  });

  it('gives up after maxAttempts failed reconnects, and retry() starts again', async () => {
    const alice = makeClient(server, 'alice-token', {
      reconnect: { initialDelayMs: 1, maxDelayMs: 4, maxAttempts: 3, jitter: false },
    });
    await waitUntil(() => connected(alice), [alice], 'connected');
    server.faults.upgradeStatus = 502;
    server.dropAll();
    typeAt(alice, 0, 'kept ');
    await waitUntil(() => alice.state.status === 'offline', [alice], 'offline', 10_000);
    expect(alice.state.lastError?.code).toBe('RECONNECT_FAILED');
    server.faults.upgradeStatus = null;
    alice.retry();
    await waitUntil(() => synced(alice, server), [alice], 'back');
    expect(server.text.startsWith('kept ')).toBe(true);
  });

  it('reconnects after system.reconnect without losing pending edits', async () => {
    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    server.faults.dropAcks = 1;
    typeAt(alice, 0, 'r');
    await waitUntil(() => commitsBy('alice') === 1, [alice], 'committed');
    server.restartAll(5);
    await waitUntil(() => synced(alice, server), [alice], 'back after restart');
    expect(commitsBy('alice')).toBe(1);
    expect(server.upgrades).toBe(2);
  });

  it('detects a silent connection with the heartbeat and reconnects', async () => {
    const alice = makeClient(server, 'alice-token', { heartbeatIntervalMs: 20, heartbeatTimeoutMs: 40 });
    await waitUntil(() => connected(alice), [alice], 'connected');
    server.faults.silent = true;
    await waitUntil(() => alice.state.status === 'reconnecting', [alice], 'declared dead');
    expect(alice.state.lastError?.code).toBe('HEARTBEAT_TIMEOUT');
    server.faults.silent = false;
    await waitUntil(() => connected(alice), [alice], 'reconnected');
  });

  it('settles the fate of an unacknowledged change when only a full snapshot is available', async () => {
    const alice = makeClient(server, 'alice-token');
    const bob = makeClient(server, 'bob-token');
    await waitUntil(() => connected(alice) && connected(bob), [alice, bob], 'connected');
    server.faults.dropAcks = 1;
    typeAt(alice, 0, '①');
    await waitUntil(() => commitsBy('alice') === 1, [alice], 'committed, ack lost');
    server.faults.upgradeStatus = 503;
    server.dropAll();
    typeAt(alice, 1, '②'); // buffered behind the unacknowledged change
    typeAt(bob, 0, 'B');
    await waitUntil(() => commitsBy('bob') === 1 || server.upgrades > 3, [alice, bob], 'bob committed');
    server.trimHistory(server.version); // alice's last version is now too old for a delta
    server.faults.upgradeStatus = null;
    await waitUntil(() => synced(alice, server) && synced(bob, server), [alice, bob], 'converged', 8000);
    expect(server.text.split('①').length - 1).toBe(1);
    expect(server.text.split('②').length - 1).toBe(1);
    expect(commitsBy('alice')).toBe(2);
    expect(fullSyncRequests()).toBeGreaterThanOrEqual(1);
  });

  it('rebases offline edits onto a full snapshot when the server no longer has their base', async () => {
    const alice = makeClient(server, 'alice-token');
    const bob = makeClient(server, 'bob-token');
    await waitUntil(() => connected(alice) && connected(bob), [alice, bob], 'connected');
    server.revokeToken('alice-token'); // keeps alice out (offline after one token refresh)
    server.dropAll();
    await waitUntil(() => alice.state.status === 'offline', [alice], 'alice offline');
    typeAt(alice, codePointLength(alice.text), ' [A]');
    await waitUntil(() => connected(bob), [bob], 'bob back');
    typeAt(bob, 0, '[B] ');
    await waitUntil(() => synced(bob, server), [bob], 'bob committed');
    server.trimHistory(server.version);
    server.addUser('alice-token', { userId: 'alice', name: 'Alice Adams' });
    alice.retry();
    await waitUntil(() => synced(alice, server) && synced(bob, server), [alice, bob], 'converged', 8000);
    expect(server.text.startsWith('[B] ')).toBe(true);
    expect(server.text.endsWith(' [A]')).toBe(true);
    expect(server.fullSyncResponses).toBe(1);
  });

  it('resynchronizes and resends after conflict.detected, and rebases after INVALID_OP, without duplicates', async () => {
    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    server.faults.conflicts = 1;
    typeAt(alice, 0, '⚔');
    await waitUntil(() => synced(alice, server), [alice], 'after conflict');
    server.faults.invalidOps = 1;
    typeAt(alice, 1, '⚙');
    await waitUntil(() => synced(alice, server), [alice], 'after INVALID_OP');
    expect(server.text.startsWith('⚔⚙')).toBe(true);
    expect(commitsBy('alice')).toBe(2);
    expect(fullSyncRequests()).toBe(1); // INVALID_OP: our copy may be wrong, so take the full text
  });

  it('refuses local edits from a read-only user with FORBIDDEN', async () => {
    const rita = makeClient(server, 'reader-token');
    await waitUntil(() => connected(rita), [rita], 'connected');
    expect(rita.state.canWrite).toBe(false);
    expect(() => typeAt(rita, 0, 'no')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    await expect(rita.save('v1')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('rejects malformed local ops with INVALID_OP and leaves the text alone', async () => {
    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    const before = alice.text;
    expect(() => alice.applyLocalChange([1000, 'x'])).toThrow(
      expect.objectContaining({ code: 'INVALID_OP' }),
    );
    expect(() => alice.applyLocalChange([{ d: 0 }] as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OP' }),
    );
    expect(() => alice.setCursor(10_000)).toThrow(RangeError);
    expect(alice.text).toBe(before);
    expect(alice.state.pendingCount).toBe(0);
  });

  it('saves a named version after pending edits are acknowledged, and others see it', async () => {
    const alice = makeClient(server, 'alice-token');
    const bob = makeClient(server, 'bob-token');
    await waitUntil(() => connected(alice) && connected(bob), [alice, bob], 'connected');
    const seenByBob: string[] = [];
    bob.on('saved', (s) => seenByBob.push(s.name));
    typeAt(alice, 0, 'final ');
    const saved = await alice.save('Release 1');
    expect(saved).toMatchObject({ name: 'Release 1', createdBy: 'alice', version: 1 });
    await waitUntil(() => seenByBob.includes('Release 1'), [bob], 'bob saw the save');
  });

  it('whenSynced resolves once edits are acknowledged; close() rejects what is still waiting', async () => {
    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    typeAt(alice, 0, 'w');
    expect(alice.state.pendingCount).toBe(1);
    await alice.whenSynced();
    expect(alice.state.pendingCount).toBe(0);
    expect(server.text.startsWith('w')).toBe(true);

    server.faults.silent = true; // nothing will be acknowledged any more
    typeAt(alice, 1, 'x');
    const synced = alice.whenSynced();
    const saved = alice.save('never');
    alice.close();
    await expect(synced).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(saved).rejects.toMatchObject({ code: 'CLOSED' });
    expect(alice.state.status).toBe('offline');
    expect(() => typeAt(alice, 0, 'y')).toThrow(expect.objectContaining({ code: 'CLOSED' }));
  });

  it('leave() closes once the last edits are acknowledged, even those still batched', async () => {
    // A long batch delay: the edit is still local when leave() is called.
    const alice = makeClient(server, 'alice-token', { batch: { maxDelayMs: 200, minIntervalMs: 200 } });
    await waitUntil(() => connected(alice), [alice], 'connected');
    typeAt(alice, 0, 'last words ');
    expect(alice.state.pendingCount).toBe(1);
    await expect(alice.leave()).resolves.toBe(true);
    expect(server.text.startsWith('last words ')).toBe(true);
    expect(alice.state.status).toBe('offline');
    // close() alone would have dropped it: the same with a client that closes at once.
    const bob = makeClient(server, 'bob-token', { batch: { maxDelayMs: 200, minIntervalMs: 200 } });
    await waitUntil(() => connected(bob), [bob], 'bob connected');
    typeAt(bob, 0, 'lost ');
    bob.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.text.startsWith('lost ')).toBe(false);
  });

  it('leave() also waits for a version named just before leaving', async () => {
    const alice = makeClient(server, 'alice-token', { batch: { maxDelayMs: 50, minIntervalMs: 50 } });
    await waitUntil(() => connected(alice), [alice], 'connected');
    typeAt(alice, 0, 'Final text. ');
    // Sent only once the edit is acknowledged, i.e. after leave() was called.
    const saved = alice.save('Before leaving');
    await expect(alice.leave()).resolves.toBe(true);
    await expect(saved).resolves.toMatchObject({ name: 'Before leaving', version: 1 });
    expect(server.received.some((m) => m.type === 'document.save')).toBe(true);
    expect(alice.isClosed).toBe(true);
  });

  it('leave() closes at once with nothing pending, and gives up after its timeout', async () => {
    const idle = makeClient(server, 'bob-token');
    // Not even connected yet: nothing of ours can be lost.
    await expect(idle.leave()).resolves.toBe(true);
    expect(idle.state.status).toBe('offline');

    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    server.faults.silent = true; // nothing will be acknowledged any more
    typeAt(alice, 0, 'x');
    const started = Date.now();
    await expect(alice.leave(150)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(alice.state.status).toBe('offline');
  });

  it('takes back a change the server refuses as DOCUMENT_TOO_LARGE, says why, and goes on', async () => {
    const alice = makeClient(server, 'alice-token');
    const errors: CollabError[] = [];
    alice.on('error', (e) => errors.push(e));
    await waitUntil(() => connected(alice), [alice], 'connected');
    const before = alice.text;
    server.faults.tooLarge = 1;
    typeAt(alice, 0, 'a huge paste ');
    await waitUntil(() => alice.state.pendingCount === 0, [alice], 'taken back');
    expect(alice.text).toBe(before);
    expect(server.text).toBe(before);
    expect(errors.map((e) => e.code)).toEqual(['DOCUMENT_TOO_LARGE']);
    expect(alice.state.status).toBe('connected');
    // The next edit is taken as usual.
    typeAt(alice, 0, 'ok ');
    await waitUntil(() => synced(alice, server), [alice], 'next edit committed');
    expect(server.text).toBe(`ok ${before}`);
  });

  it('shows remote cursors and selections and moves them through edits', async () => {
    const alice = makeClient(server, 'alice-token');
    const bob = makeClient(server, 'bob-token');
    await waitUntil(() => connected(alice) && connected(bob), [alice, bob], 'connected');
    await waitUntil(() => bob.users.some((u) => u.userId === 'alice'), [bob], 'bob sees alice');
    alice.setCursor(5);
    await waitUntil(
      () => bob.users.find((u) => u.userId === 'alice')?.cursor?.position === 5,
      [bob],
      'cursor',
    );
    typeAt(bob, 0, '工程'); // two code points before alice's cursor
    expect(bob.users.find((u) => u.userId === 'alice')?.cursor?.position).toBe(7);
    alice.setSelection(2, 4);
    await waitUntil(
      () => bob.users.find((u) => u.userId === 'alice')?.selection?.head === 4,
      [bob],
      'selection',
    );
    alice.setActivity('idle');
    await waitUntil(() => bob.users.find((u) => u.userId === 'alice')?.status === 'idle', [bob], 'idle');
    alice.close();
    await waitUntil(() => !bob.users.some((u) => u.userId === 'alice'), [bob], 'alice left');
  });

  it('maps our own selection through remote edits', async () => {
    const alice = makeClient(server, 'alice-token');
    const bob = makeClient(server, 'bob-token');
    await waitUntil(() => connected(alice) && connected(bob), [alice, bob], 'connected');
    alice.setSelection(1, 3);
    typeAt(bob, 0, '👋👋');
    await waitUntil(() => alice.text === server.text && synced(bob, server), [alice, bob], 'alice got it');
    expect(alice.selection).toEqual({ anchor: 3, head: 5 });
  });

  it('coalesces a fast typist with cursor moves into few frames and is never rate limited', async () => {
    const alice = makeClient(server, 'alice-token', { batch: {} }); // default pacing: >= 250 ms apart
    await waitUntil(() => connected(alice), [alice], 'connected');
    const errors: CollabError[] = [];
    alice.on('error', (e) => errors.push(e));
    const before = server.framesOf('alice').length;
    for (let i = 0; i < 60; i++) {
      const at = codePointLength(alice.text);
      typeAt(alice, at, String.fromCodePoint(0x4e00 + i));
      alice.setCursor(at + 1);
    }
    await waitUntil(() => synced(alice, server), [alice], 'delivered');
    const frames = server.framesOf('alice').slice(before);
    expect(frames.length).toBeLessThanOrEqual(6);
    expect(errors).toEqual([]);
  });

  it('converges three editors under random edits and random connection drops', async () => {
    const users = ['alice', 'bob', 'carol'];
    server.addUser('carol-token', { userId: 'carol', name: 'Carol' });
    const editors = users.map((u) => makeClient(server, `${u}-token`));
    await waitUntil(() => editors.every(connected), editors, 'all connected');
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabets = [0x4e00, 0x1f300, 0xac00];
    const typed: string[] = [];
    for (let round = 0; round < 120; round++) {
      const i = Math.floor(random() * editors.length);
      const editor = editors[i]!;
      const length = codePointLength(editor.text);
      const at = Math.floor(random() * (length + 1));
      const ch = String.fromCodePoint(alphabets[i]! + round);
      typed.push(ch);
      editor.applyLocalChange(at > 0 ? [at, ch] : [ch]);
      if (random() < 0.05) server.dropAll();
      if (random() < 0.05) server.faults.dropAcks = 1;
      if (round % 10 === 0) await new Promise((resolve) => setImmediate(resolve)); // let frames flow
    }
    await waitUntil(() => editors.every((e) => synced(e, server)), editors, 'converged', 15_000);
    for (const ch of typed) expect(server.text.split(ch).length - 1).toBe(1);
    expect(server.replay()).toBe(server.text);
  });
});
