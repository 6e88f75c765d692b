/**
 * Several nodes in one process: real collab servers and ws clients sharing one store, one
 * in-process broker (MemoryHub) and one presence registry, as they would share PostgreSQL and
 * Redis. The Redis-backed versions run in test/cluster/.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterDeps } from '../../src/collab/types.js';
import { createMemoryPresenceRegistry, MemoryHub, MemoryPubSub } from '../../src/pubsub/index.js';
import type { PresenceRegistry } from '../../src/pubsub/presence-registry.js';
import { createMemoryStore } from '../../src/storage/index.js';
import type { DocumentStore } from '../../src/storage/types.js';
import { closeNodesSharingStore, contentOf, type Harness, msg, startHarness } from './harness.js';

let nodes: Harness[] = [];

afterEach(async () => {
  await closeNodesSharingStore(nodes);
  nodes = [];
});

interface Shared {
  store: DocumentStore;
  hub: MemoryHub;
  presence: PresenceRegistry;
}

function shared(now?: () => number): Shared {
  return {
    store: createMemoryStore(),
    hub: new MemoryHub(),
    presence: createMemoryPresenceRegistry(now ? { now } : {}),
  };
}

async function node(s: Shared, serverId: string, presenceTtlMs = 15_000): Promise<Harness> {
  const cluster: ClusterDeps = {
    serverId,
    pubsub: new MemoryPubSub({ hub: s.hub }),
    presence: s.presence,
    presenceTtlMs,
    checkIntervalMs: 0,
  };
  const harness = await startHarness({ store: s.store, cluster });
  nodes.push(harness);
  return harness;
}

describe('nodes linked by pub/sub', () => {
  it('delivers a commit to the clients of another node without that node committing', async () => {
    const s = shared();
    const one = await node(s, 'one');
    const two = await node(s, 'two');
    const a = await one.connect('doc', { sub: 'a' });
    const b = await two.connect('doc', { sub: 'b' });
    await a.nextOf('document.open');
    await b.nextOf('document.open');

    for (let i = 1; i <= 5; i++) a.send(msg.change(`a${i}`, i - 1, i === 1 ? ['1'] : [i - 1, String(i)]));
    const seen: number[] = [];
    for (let i = 1; i <= 5; i++) {
      seen.push((await b.nextOf('document.change', (p) => !p.ack && p.changeId === `a${i}`)).payload.version);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(await contentOf(b)).toEqual({ content: '12345', version: 5 });
  });

  it('links two nodes given the same SERVER_ID by mistake (each process is its own origin)', async () => {
    const s = shared();
    const one = await node(s, 'node-1');
    const two = await node(s, 'node-1');
    const a = await one.connect('twins', { sub: 'a', name: 'Ann' });
    await a.nextOf('document.open');
    const b = await two.connect('twins', { sub: 'b', name: 'Bob' });
    await b.nextOf('document.open');
    // Presence crosses too: Ann hears that Bob joined on the other node.
    await a.nextOf('user.presence', (p) => p.event === 'joined' && p.user.userId === 'b');
    a.send(msg.change('a1', 0, ['hi']));
    // No safety-net check runs here (checkIntervalMs 0): only the broker can bring it.
    await b.nextOf('document.change', (p) => !p.ack && p.changeId === 'a1');
    expect(await contentOf(b)).toEqual({ content: 'hi', version: 1 });
  });

  it('fills a hole (a lost message) from the store, then delivers in version order', async () => {
    const s = shared();
    const one = await node(s, 'one');
    const two = await node(s, 'two');
    const a = await one.connect('gap', { sub: 'a' });
    const b = await two.connect('gap', { sub: 'b' });
    await a.nextOf('document.open');
    await b.nextOf('document.open');
    a.send(msg.change('a1', 0, ['x']));
    await b.nextOf('document.change', (p) => p.changeId === 'a1');

    // A third node commits version 2 and its message never arrives.
    await s.store.commitChanges('gap', 1, [
      {
        documentId: 'gap',
        version: 2,
        changeId: 'lost',
        userId: 'c',
        userName: 'C',
        op: [1, 'y'],
        createdAt: 1,
      },
    ]);
    // Node one learns of it through version-taken, commits version 3 and publishes only that.
    a.send(msg.change('a3', 1, [1, 'z']));
    const v2 = await b.nextOf('document.change', (p) => p.changeId === 'lost');
    const v3 = await b.nextOf('document.change', (p) => p.changeId === 'a3');
    expect([v2.payload.version, v3.payload.version]).toEqual([2, 3]);
    expect(await contentOf(b)).toEqual(await contentOf(a));
    expect((await contentOf(b)).version).toBe(3);
  });

  it('shares presence, carets and saves across nodes', async () => {
    const s = shared();
    const one = await node(s, 'one');
    const two = await node(s, 'two');
    const a = await one.connect('people', { sub: 'a', name: 'Ann' });
    await a.nextOf('document.open');
    a.send(msg.change('a1', 0, ['hello']));
    await a.nextOf('document.change', (p) => p.ack);

    const b = await two.connect('people', { sub: 'b', name: 'Bob' });
    const open = await b.nextOf('document.open');
    expect(open.payload.users.map((u: { userId: string }) => u.userId).sort()).toEqual(['a', 'b']);
    expect((await a.nextOf('user.presence', (p) => p.event === 'joined')).payload.user.userId).toBe('b');

    a.send({ type: 'cursor.position', payload: { position: 3 } });
    const caret = await b.nextOf('cursor.position');
    expect(caret.payload).toMatchObject({ userId: 'a', position: 3 });
    expect(two.collab.presenceOf('people').find((u) => u.userId === 'a')?.cursor).toEqual({ position: 3 });

    a.send({ type: 'document.save', payload: { name: 'v1' } });
    expect((await b.nextOf('document.save')).payload).toMatchObject({ name: 'v1', version: 1 });

    a.send({ type: 'document.close', payload: {} });
    expect((await b.nextOf('user.presence', (p) => p.event === 'left')).payload.user.userId).toBe('a');
    expect(two.collab.presenceOf('people').map((u) => u.userId)).toEqual(['b']);
  });

  it('drops the users of a node that stopped heartbeating once their entries expire', async () => {
    let clock = 1_000_000;
    const s = shared(() => clock);
    const two = await node(s, 'two', 300);
    const b = await two.connect('ghosts', { sub: 'b' });
    await b.nextOf('document.open');
    // A node that is about to die registered one of its users.
    const ghost = {
      sessionId: 'ghost-session',
      userId: 'g',
      name: 'Ghost',
      color: '#000000',
      status: 'active' as const,
      lastActivity: 0,
      cursor: null,
      selection: null,
    };
    await s.presence.heartbeat(
      'ghosts',
      { sessionId: ghost.sessionId, serverId: 'dead', data: ghost },
      60_000,
    );
    // The periodic listing finds it (its 'joined' message was never received)...
    expect((await b.nextOf('user.presence', (p) => p.event === 'joined')).payload.user.userId).toBe('g');
    // ...and once its TTL is over without a heartbeat, it is gone for everyone.
    clock += 61_000;
    expect((await b.nextOf('user.presence', (p) => p.event === 'left')).payload.user.userId).toBe('g');
    expect(two.collab.presenceOf('ghosts').map((u) => u.userId)).toEqual(['b']);
  });
});
