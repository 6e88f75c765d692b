/**
 * Catching up after a reconnect (issue 25): a delta in pages, a sync request the server could not
 * answer yet, and the `merged` event when pending edits had to be rebased over a full snapshot.
 */
import { codePointLength, type Op } from '@jd-collab/ot';
import { type ClientMessage, parseFrame } from '@jd-collab/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { MergedEvent } from '../src/client-types.js';
import type { CollabClient } from '../src/collab-client.js';
import type { CollabError } from '../src/errors.js';
import type { WebSocketConstructor } from '../src/socket.js';
import { FakeServer } from './fake-server.js';
import { closeAllClients, connected, makeClient, synced, typeAt, waitUntil } from './helpers.js';
import { ManualTimers } from './manual-timers.js';

const INITIAL = 'Job: 工程师 👩‍💻';
let server: FakeServer;

beforeEach(async () => {
  server = await FakeServer.start({ text: INITIAL });
  server.addUser('alice-token', { userId: 'alice', name: 'Alice Adams' });
  server.addUser('bob-token', { userId: 'bob', name: 'Bob Brown' });
});

afterEach(async () => {
  closeAllClients();
  await server.close();
});

/** The sinceVersion of every sync.request the server received, in order (null: a full sync). */
function syncRequests(): (number | null)[] {
  return server.received.flatMap((m) => (m.type === 'sync.request' ? [m.payload.sinceVersion ?? null] : []));
}

function changesReceived(): Extract<ClientMessage, { type: 'document.change' }>[] {
  return server.received.filter((m) => m.type === 'document.change');
}

/** Someone else's edit number `n` (1-based): the nth letter, inserted after the n - 1 before it. */
function remoteEdit(n: number): { userId: string; op: Op } {
  const letter = String.fromCharCode(96 + n);
  return { userId: 'carol', op: n === 1 ? [letter] : [n - 1, letter] };
}

/** Takes `client` offline (its token refused) and waits until it gave up. */
async function takeOffline(client: CollabClient): Promise<void> {
  server.revokeToken('alice-token');
  server.dropAll();
  await waitUntil(() => client.state.status === 'offline', [client], 'alice offline');
}

function bringBack(client: CollabClient): void {
  server.addUser('alice-token', { userId: 'alice', name: 'Alice Adams' });
  client.retry();
}

/** A `ws` WebSocket that also records, synchronously, every message the client sends. */
function recordingWebSocket(sent: ClientMessage[]): WebSocketConstructor {
  const Base = WebSocket as unknown as WebSocketConstructor;
  return class extends Base {
    override send(data: string): void {
      for (const result of parseFrame(data).results) if (result.ok) sent.push(result.message);
      super.send(data);
    }
  };
}

describe('delta sync in pages', () => {
  it('asks for the next page while `more`, and only after the last one replays held broadcasts, goes live and resends', async () => {
    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    await takeOffline(alice);
    expect(alice.state.version).toBe(0);
    typeAt(alice, codePointLength(alice.text), ' [A]');
    // Four changes alice has not seen: two pages of two.
    server.commitBatch([1, 2, 3, 4].map(remoteEdit));
    server.syncPageSize = 2;
    server.holdSyncResponses = true;
    const remoteOps: Op[] = [];
    alice.on('change', (e) => {
      if (e.origin === 'remote') remoteOps.push(e.op);
    });

    bringBack(alice);
    await waitUntil(() => server.heldSyncResponses === 1, [alice], 'first page asked for');
    expect(syncRequests()).toEqual([0]);
    // Committed after the first page was read, so broadcast to alice, who must hold it.
    server.commitBatch([remoteEdit(5)]);
    server.releaseSyncResponse(); // changes 1-2, more

    await waitUntil(() => server.heldSyncResponses === 1, [alice], 'second page asked for');
    expect(syncRequests()).toEqual([0, 2]);
    expect(alice.state.version).toBe(2);
    expect(alice.state.status).not.toBe('connected');
    expect(alice.state.pendingCount).toBe(1);
    expect(changesReceived()).toEqual([]); // the pending edit waits for the last page
    server.releaseSyncResponse(); // changes 3-4, more (5 exists)

    await waitUntil(() => server.heldSyncResponses === 1, [alice], 'third page asked for');
    expect(syncRequests()).toEqual([0, 2, 4]);
    expect(alice.state.version).toBe(4);
    expect(alice.state.status).not.toBe('connected');
    expect(changesReceived()).toEqual([]);
    // The last page (change 5) is read; 6 and 7 are committed after it and broadcast: held.
    server.commitBatch([remoteEdit(6), remoteEdit(7)]);
    server.releaseSyncResponse(); // change 5, no more

    await waitUntil(() => synced(alice, server), [alice], 'live and delivered');
    expect(syncRequests()).toEqual([0, 2, 4]);
    // Every change once, in version order: the pages, then the held broadcasts after the last page.
    expect(remoteOps).toEqual(server.history.slice(0, 7).map((c) => c.op));
    const sent = changesReceived();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.payload).toMatchObject({ baseVersion: 7 });
    expect(server.text).toBe(`abcdefg${INITIAL} [A]`);
    expect(alice.text).toBe(server.text);
    expect(server.replay()).toBe(server.text);
  });
});

describe('a sync request the server cannot answer yet', () => {
  it('is repeated, the same, after the retryAfter of STORAGE_UNAVAILABLE', async () => {
    const timers = new ManualTimers();
    const sent: ClientMessage[] = [];
    const alice = makeClient(server, 'alice-token', { timers, WebSocket: recordingWebSocket(sent) });
    await waitUntil(() => connected(alice), [alice], 'connected');
    const errors: CollabError[] = [];
    alice.on('error', (e) => errors.push(e));
    server.dropAll();
    await waitUntil(() => alice.state.status === 'reconnecting', [alice], 'connection lost');
    server.commitBatch([remoteEdit(1)]);
    server.faults.syncStorageFailures = 1;
    server.faults.storageRetryAfter = 300;

    timers.advance(5); // the reconnect delay
    await waitUntil(() => errors.some((e) => e.code === 'STORAGE_UNAVAILABLE'), [alice], 'sync refused');
    const syncs = () => sent.filter((m) => m.type === 'sync.request');
    expect(syncs().map((m) => m.payload)).toEqual([{ sinceVersion: 0 }]);
    expect(alice.state.status).toBe('reconnecting');

    timers.advance(299);
    expect(syncs()).toHaveLength(1);
    timers.advance(1);
    expect(syncs()).toHaveLength(2);
    expect(syncs()[1]).toEqual(syncs()[0]);

    await waitUntil(() => connected(alice) && alice.text === server.text, [alice], 'caught up');
    expect(alice.state.version).toBe(1);
    expect(syncRequests()).toEqual([0, 0]);
    expect(server.fullSyncResponses).toBe(0);
  });
});

describe('merged', () => {
  it('is emitted once, with the number of pending edits, when they were rebased over a snapshot', async () => {
    const alice = makeClient(server, 'alice-token');
    const bob = makeClient(server, 'bob-token');
    await waitUntil(() => connected(alice) && connected(bob), [alice, bob], 'connected');
    const merged: MergedEvent[] = [];
    alice.on('merged', (e) => merged.push(e));
    await takeOffline(alice);
    typeAt(alice, codePointLength(alice.text), ' [A1]');
    typeAt(alice, 0, '[A0] ');
    typeAt(alice, 5, '[A2] ');
    expect(alice.state.pendingCount).toBe(3);
    await waitUntil(() => connected(bob), [bob], 'bob back');
    typeAt(bob, 5, '[B] ');
    await waitUntil(() => synced(bob, server), [bob], 'bob committed');
    server.trimHistory(server.version); // alice's base is gone: she gets the full text
    const snapshotVersion = server.version;

    bringBack(alice);
    await waitUntil(() => synced(alice, server) && synced(bob, server), [alice, bob], 'converged');
    expect(server.fullSyncResponses).toBe(1);
    expect(merged).toEqual([{ pendingEdits: 3, version: snapshotVersion }]);
    expect(server.text).toBe('[A0] [A2] Job: [B] 工程师 👩‍💻 [A1]');
  });

  it('is not emitted for a snapshot when nothing was pending', async () => {
    const alice = makeClient(server, 'alice-token');
    const bob = makeClient(server, 'bob-token');
    await waitUntil(() => connected(alice) && connected(bob), [alice, bob], 'connected');
    const merged: MergedEvent[] = [];
    alice.on('merged', (e) => merged.push(e));
    await takeOffline(alice);
    await waitUntil(() => connected(bob), [bob], 'bob back');
    typeAt(bob, 0, '[B] ');
    await waitUntil(() => synced(bob, server), [bob], 'bob committed');
    server.trimHistory(server.version);

    bringBack(alice);
    await waitUntil(() => synced(alice, server), [alice], 'caught up');
    expect(server.fullSyncResponses).toBe(1);
    expect(alice.text).toBe(`[B] ${INITIAL}`);
    expect(merged).toEqual([]);
  });

  it('does not count an inflight change the snapshot already contains', async () => {
    const alice = makeClient(server, 'alice-token');
    await waitUntil(() => connected(alice), [alice], 'connected');
    const merged: MergedEvent[] = [];
    alice.on('merged', (e) => merged.push(e));
    server.faults.dropAcks = 1;
    typeAt(alice, 0, '①');
    await waitUntil(() => server.version === 1, [alice], 'committed, ack lost');
    await takeOffline(alice);
    typeAt(alice, 1, '②'); // buffered behind the unacknowledged change
    server.commitBatch([{ userId: 'carol', op: [1, 'C'] }]);
    server.trimHistory(server.version);

    bringBack(alice);
    await waitUntil(() => synced(alice, server), [alice], 'caught up');
    // The resent ① was acked (the server had it), so only ② was merged by comparing texts.
    expect(merged).toEqual([{ pendingEdits: 1, version: 2 }]);
    expect(server.text.split('①').length - 1).toBe(1);
    expect(server.text.split('②').length - 1).toBe(1);
  });
});
