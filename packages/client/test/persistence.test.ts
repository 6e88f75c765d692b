/**
 * Pending edits kept across page loads (options.persistence): a new client of the same person and
 * document restores them at once, resynchronizes from their version and sends them exactly once.
 * A "page load" is a new CollabClient on the same MemoryPendingStore (what tabs of one browser
 * share through IndexedDB and Web Locks); the server is the protocol-level fake server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollabClientOptions } from '../src/client-types.js';
import type { CollabClient } from '../src/collab-client.js';
import { MemoryPendingStore } from '../src/persistence/memory-pending-store.js';
import type { PendingClaim, PendingRecord, PendingStore } from '../src/persistence/pending-store.js';
import { SyncState } from '../src/sync-state.js';
import { FakeServer } from './fake-server.js';
import { closeAllClients, connected, makeClient, synced, typeAt, waitUntil } from './helpers.js';

let server: FakeServer;
let store: MemoryPendingStore;

beforeEach(async () => {
  server = await FakeServer.start({ text: 'Job: engineer' });
  server.addUser('alice-token', { userId: 'alice', name: 'Alice Adams' });
  server.addUser('bob-token', { userId: 'bob', name: 'Bob Brown' });
  store = new MemoryPendingStore();
});

afterEach(async () => {
  closeAllClients();
  await server.close();
});

function alice(overrides: Partial<CollabClientOptions> = {}): CollabClient {
  return makeClient(server, 'alice-token', { persistence: { store, userId: 'alice' }, ...overrides });
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** Alice types `runs` one after the other at the end; the server commits nothing she sends. */
async function typeUnsent(...runs: string[]): Promise<CollabClient> {
  const tab = alice();
  await waitUntil(() => connected(tab), [tab], 'connected');
  server.faults.silent = true; // frames are ignored: the edits may or may not have been sent
  for (const run of runs) {
    typeAt(tab, [...tab.text].length, run);
    await new Promise((r) => setTimeout(r, 20));
  }
  await waitUntil(() => storedText() === tab.text, [tab], 'the edits are stored');
  return tab;
}

/** Closes a tab as a reload or a closed tab does, and waits until its record is free to claim. */
async function closeTab(tab: CollabClient): Promise<void> {
  tab.close();
  await waitUntil(() => store.records.every((r) => !store.isClaimed(r.id)), [], 'claims released');
}

function storedText(record: PendingRecord | undefined = store.records[0]): string | null {
  if (record === undefined) return null;
  let text = record.confirmedText;
  for (const change of record.changes) {
    const [retain, insert] = change.op as [number, string];
    text = [...text].slice(0, retain).join('') + insert + [...text].slice(retain).join('');
  }
  return text;
}

/** A store whose claims always succeed: two tabs may replay one record (no Web Locks). */
class LocklessStore implements PendingStore {
  constructor(private readonly inner: MemoryPendingStore) {}
  load(userId: string, documentId: string) {
    return this.inner.load(userId, documentId);
  }
  async claim(): Promise<PendingClaim> {
    return { release: () => undefined };
  }
  save(record: PendingRecord) {
    return this.inner.save(record);
  }
  clear(recordId: string) {
    return this.inner.clear(recordId);
  }
}

describe('persistence of pending edits', () => {
  it('sends a change only once its record is written, and deletes the record once acknowledged', async () => {
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const slow = new MemoryPendingStore();
    const saved: string[] = [];
    const save = slow.save.bind(slow);
    slow.save = async (record) => {
      await gate; // storage is slow: the write has not completed yet
      saved.push(...record.changes.map((c) => c.changeId));
      return save(record);
    };
    const tab = makeClient(server, 'alice-token', { persistence: { store: slow, userId: 'alice' } });
    await waitUntil(() => connected(tab), [tab], 'connected');
    typeAt(tab, 13, ' who ships');
    await new Promise((r) => setTimeout(r, 100));
    expect(server.received.filter((m) => m.type === 'document.change')).toEqual([]);
    openGate();
    await waitUntil(() => synced(tab, server), [tab], 'acknowledged');
    const sent = server.received.find((m) => m.type === 'document.change');
    // It went out under the id the record reserved for it before it was sent.
    expect(saved).toContain(sent?.type === 'document.change' ? sent.payload.changeId : 'none');
    await waitUntil(() => slow.records.length === 0, [tab], 'record deleted');
  });

  it('restores the text and pending edits at once, offline, then resyncs (in pages) and replays them exactly once', async () => {
    const first = await typeUnsent(' who ships', ' and reviews');
    const stored = store.records[0]!;
    expect(stored.changes.map((c) => c.changeId)).toHaveLength(2); // in flight, and the buffer's reserved id
    expect(stored.incarnation).toBe('first-life');
    await closeTab(first); // the tab is closed (or reloaded): the edits stay in the store

    // Meanwhile Bob edits the start of the document: four changes, sent back in pages of one.
    server.faults.silent = false;
    const bob = makeClient(server, 'bob-token');
    await waitUntil(() => connected(bob), [bob], 'bob connected');
    for (const word of ['Senior ', 'Staff ', 'Lead ', 'Remote ']) {
      typeAt(bob, 0, word);
      await waitUntil(() => synced(bob, server), [bob], 'bob synced');
    }
    bob.close();
    server.syncPageSize = 1;

    // The next page load, while the server cannot be reached: the text is there at once.
    server.faults.upgradeStatus = 503;
    const second = alice();
    const restored: unknown[] = [];
    second.on('restored', (r) => restored.push(r));
    await waitUntil(() => second.isOpen, [second], 'restored');
    expect(second.text).toBe('Job: engineer who ships and reviews');
    expect(second.state.pendingCount).toBe(2);
    expect(restored).toEqual([{ pendingCount: 2, version: 0 }]);
    typeAt(second, [...second.text].length, '.'); // and it can be edited offline
    server.faults.upgradeStatus = null;

    await waitUntil(() => synced(second, server), [second], 'replayed', 10_000);
    expect(server.text).toBe('Remote Lead Staff Senior Job: engineer who ships and reviews.');
    expect(server.upgradeUrls.at(-1)).toContain('incarnation=first-life');
    // The replay kept the original changeIds: never committed twice.
    const ids = server.history.filter((c) => c.userId === 'alice').map((c) => c.changeId);
    expect(ids.slice(0, 2)).toEqual(stored.changes.map((c) => c.changeId));
    const syncs = server.received.filter((m) => m.type === 'sync.request');
    expect(syncs.some((m) => m.type === 'sync.request' && m.payload.sinceVersion === 0)).toBe(true);
    await waitUntil(() => store.records.length === 0, [second], 'record deleted');
  });

  it('replays an edit whose ack was lost exactly once (the server has it already)', async () => {
    const tab = alice();
    await waitUntil(() => connected(tab), [tab], 'connected');
    server.faults.dropAcks = 1; // committed, but the ack never arrives
    typeAt(tab, 13, ' who ships');
    await waitUntil(() => server.text.endsWith(' who ships'), [tab], 'committed');
    await closeTab(tab);
    expect(store.records).toHaveLength(1);

    const next = alice();
    await waitUntil(() => synced(next, server), [next], 'replayed');
    expect(occurrences(server.text, ' who ships')).toBe(1);
    expect(next.text).toBe('Job: engineer who ships');
    await waitUntil(() => store.records.length === 0, [next], 'record deleted');
  });

  it('lets only one of two tabs replay a record, and never one a live tab owns', async () => {
    const owner = await typeUnsent(' who ships');
    // A second tab opens while the first one lives: it must not take the first one's edits.
    const other = alice();
    await waitUntil(() => connected(other), [other], 'other tab connected');
    expect(other.state.pendingCount).toBe(0);
    expect(other.text).toBe('Job: engineer');
    other.close();

    await closeTab(owner);
    server.faults.silent = false;
    // Two tabs open the document at once: one claims the record, the other starts fresh.
    const a = alice();
    const b = alice();
    let restores = 0;
    for (const tab of [a, b]) tab.on('restored', () => restores++);
    await waitUntil(() => synced(a, server) && synced(b, server), [a, b], 'both synced');
    expect(restores).toBe(1);
    expect(server.text).toBe('Job: engineer who ships');
    expect(a.text).toBe(server.text);
    expect(b.text).toBe(server.text);
  });

  it('applies a record replayed by two tabs once, locally and on the server (same changeIds)', async () => {
    const first = await typeUnsent(' who ships', ' and reviews');
    await closeTab(first);
    server.faults.silent = false;
    const lockless = new LocklessStore(store);
    const a = makeClient(server, 'alice-token', { persistence: { store: lockless, userId: 'alice' } });
    const b = makeClient(server, 'alice-token', { persistence: { store: lockless, userId: 'alice' } });
    await waitUntil(() => synced(a, server) && synced(b, server), [a, b], 'both synced', 10_000);
    expect(server.text).toBe('Job: engineer who ships and reviews');
    expect(a.text).toBe(server.text);
    expect(b.text).toBe(server.text);
  });

  it('never replays onto a deleted document, and keeps the record for the person', async () => {
    const first = await typeUnsent(' who ships');
    await closeTab(first);
    server.faults.silent = false;
    server.trashed = { deletedBy: { userId: 'root', name: 'Root Admin' }, deletedAt: 1_700_000_000_000 };
    const received = server.received.length;

    const next = alice();
    await waitUntil(() => next.state.deleted !== null, [next], 'deleted');
    expect(next.text).toBe('Job: engineer who ships'); // the person's text, to copy
    expect(server.received.slice(received).filter((m) => m.type === 'document.change')).toEqual([]);
    await waitUntil(() => store.records[0]?.deleted !== undefined, [], 'record marked deleted');
    expect(storedText()).toBe('Job: engineer who ships');
    expect(store.records[0]?.deleted?.deletedBy?.name).toBe('Root Admin');

    // Restored from the trash later: the marked record is still never replayed.
    server.trashed = null;
    const later = alice();
    let restores = 0;
    later.on('restored', () => restores++);
    await waitUntil(() => synced(later, server), [later], 'opened');
    expect(restores).toBe(0);
    expect(server.text).toBe('Job: engineer');
    expect(store.records).toHaveLength(1);
  });

  it('never replays onto a document created again under the same id (another incarnation)', async () => {
    const first = await typeUnsent(' who ships');
    await closeTab(first);
    server.faults.silent = false;
    server.incarnation = 'second-life';
    const before = server.text;

    const next = alice();
    await waitUntil(() => next.state.deleted !== null, [next], 'deleted');
    expect(server.upgradeUrls.at(-1)).toContain('incarnation=first-life');
    expect(next.text).toBe('Job: engineer who ships');
    await new Promise((r) => setTimeout(r, 50));
    expect(server.text).toBe(before);
    await waitUntil(() => store.records[0]?.deleted !== undefined, [], 'record marked deleted');

    // The new document opens normally for the next visit.
    const later = alice();
    await waitUntil(() => synced(later, server), [later], 'opened');
    expect(later.state.deleted).toBeNull();
    expect(later.text).toBe(before);
  });

  it('SyncState: a restored buffer committed by another replay counts as ours, never applied twice', () => {
    const snapshot = {
      version: 3,
      confirmedText: 'Job',
      changes: [
        { changeId: 'x:1', baseVersion: 3, op: [3, ' A'], edits: 1 },
        { changeId: 'x:2', baseVersion: 3, op: [5, ' B'], edits: 2 },
      ],
      revision: 3,
    };
    const state = SyncState.restore(snapshot, { newChangeId: () => 'fresh', userId: 'alice' });
    expect(state.text).toBe('Job A B');
    expect(state.pendingCount).toBe(3);
    // The other tab's replay: both changes committed, as broadcasts carrying our ids.
    expect(state.applyRemote({ version: 4, op: [3, ' A'], changeId: 'x:1', userId: 'alice' }).kind).toBe(
      'ack',
    );
    expect(state.applyRemote({ version: 5, op: [5, ' B'], changeId: 'x:2', userId: 'alice' }).kind).toBe(
      'ack',
    );
    expect(state.text).toBe('Job A B');
    expect(state.confirmedText).toBe('Job A B');
    expect(state.pendingCount).toBe(0);
    expect(state.snapshot().changes).toEqual([]);
  });
});
