import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/storage/index.js';
import { contentOf, type Harness, msg, startHarness } from './harness.js';

let nodes: Harness[] = [];

afterEach(async () => {
  // The nodes share one store: close the servers first, the store once at the end.
  for (const n of nodes.slice(1)) await n.collab.shutdown();
  await nodes[0]?.close();
  for (const n of nodes.slice(1)) {
    await new Promise<void>((resolve) => {
      n.server.close(() => resolve());
      n.server.closeAllConnections();
    });
  }
  nodes = [];
});

describe('two nodes on one store', () => {
  it('serialises writers through the store: version-taken, catch up, transform, retry', async () => {
    const store = createSqliteStore({ filename: ':memory:' });
    const one = await startHarness({ store });
    const two = await startHarness({ store });
    nodes = [one, two];
    const a = await one.connect('shared', { sub: 'a' });
    const b = await two.connect('shared', { sub: 'b' });
    await a.nextOf('document.open');
    await b.nextOf('document.open');

    a.send(msg.change('a1', 0, ['A']));
    expect((await a.nextOf('document.change', (p) => p.ack)).payload.version).toBe(1);

    // Node two has not seen version 1: its commit at 0 is refused by the store, it reads v1,
    // tells b about it, transforms b's op over it and commits as v2.
    b.send(msg.change('b1', 0, ['B']));
    const missed = await b.nextOf('document.change', (p) => !p.ack);
    expect(missed.payload).toMatchObject({ changeId: 'a1', version: 1 });
    expect((await b.nextOf('document.change', (p) => p.ack)).payload.version).toBe(2);

    a.send(msg.change('a2', 1, [1, '!']));
    expect((await a.nextOf('document.change', (p) => p.ack && p.changeId === 'a2')).payload.version).toBe(3);
    expect((await a.nextOf('document.change', (p) => p.changeId === 'b1')).payload.version).toBe(2);

    const onOne = await contentOf(a);
    // a2 and b1 tie at position 1: ties go by author, and 'a' sorts first, so a2 goes in front
    // although b1 was committed first.
    expect(onOne).toEqual({ content: 'A!B', version: 3 });
    expect((await store.getChanges('shared', 0)).map((c) => c.changeId)).toEqual(['a1', 'b1', 'a2']);
  });

  it('scopes changeIds by author across nodes: a co-editor on another node cannot take my changeId', async () => {
    const store = createSqliteStore({ filename: ':memory:' });
    const one = await startHarness({ store });
    const two = await startHarness({ store });
    nodes = [one, two];
    const mallory = await one.connect('preempt', { sub: 'mallory' });
    const victim = await two.connect('preempt', { sub: 'victim' });
    await mallory.nextOf('document.open');
    await victim.nextOf('document.open');
    mallory.send(msg.change('v-1', 0, ['spam ']));
    await mallory.nextOf('document.change', (p) => p.ack);
    // Node two has not heard of it: the store refuses the version, not the victim's changeId.
    victim.send(msg.change('v-1', 0, ['mine']));
    const ack = await victim.nextOf('document.change', (p) => p.ack);
    expect(ack.payload).toEqual({ ack: true, changeId: 'v-1', version: 2 });
    expect((await store.getChanges('preempt', 0)).map((c) => [c.userId, c.changeId])).toEqual([
      ['mallory', 'v-1'],
      ['victim', 'v-1'],
    ]);
    expect((await contentOf(victim)).content).toBe('spam mine');
  });

  it('recognises a retried changeId after a restart', async () => {
    const store = createSqliteStore({ filename: ':memory:' });
    const before = await startHarness({ store });
    nodes = [before];
    const a = await before.connect('restart', { sub: 'a' });
    await a.nextOf('document.open');
    a.send(msg.change('r1', 0, ['x']));
    await a.nextOf('document.change', (p) => p.ack);
    await before.collab.shutdown();
    expect((await a.closed).code).toBe(1012);

    const after = await startHarness({ store });
    nodes.push(after);
    const again = await after.connect('restart', { sub: 'a' });
    expect((await again.nextOf('document.open')).payload).toMatchObject({ content: 'x', version: 1 });
    // The ack was lost with the old server; the client resends the change as it was.
    again.send(msg.change('r1', 0, ['x']));
    const ack = await again.nextOf('document.change', (p) => p.ack);
    expect(ack.payload).toEqual({ ack: true, changeId: 'r1', version: 1 });
    expect(await contentOf(again)).toEqual({ content: 'x', version: 1 });
  });
});
