/**
 * The PresenceRegistry contract as Vitest tests, run on every adapter. A cluster stands for one
 * backend; node() returns a registry as one server node would hold it (the memory adapter
 * returns one shared instance, Redis a new connection). The suite closes what node() returned
 * (close must be idempotent), then calls cleanup().
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type PresenceEntry,
  PresenceError,
  type PresenceRegistry,
} from '../../src/pubsub/presence-registry.js';

export interface PresenceCluster {
  node(): Promise<PresenceRegistry>;
  cleanup(): Promise<void>;
}

const LONG_TTL = 60_000;

function entry(
  sessionId: string,
  serverId = 'node-a',
  data: unknown = { name: `User ${sessionId}` },
): PresenceEntry {
  return { sessionId, serverId, data };
}

/** Polls list() until `done` holds: expiry is a matter of time, so this is bounded, not a sleep. */
async function eventually(
  registry: PresenceRegistry,
  documentId: string,
  done: (sessionIds: string[]) => boolean,
  timeoutMs = 5_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ids = (await registry.list(documentId)).map((e) => e.sessionId);
    if (done(ids)) return ids;
    if (Date.now() > deadline) throw new Error(`presence never settled; still listed: ${ids.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

export function describePresenceRegistry(name: string, makeCluster: () => Promise<PresenceCluster>): void {
  describe(`PresenceRegistry conformance: ${name}`, () => {
    let cluster: PresenceCluster;
    const nodes: PresenceRegistry[] = [];

    async function node(): Promise<PresenceRegistry> {
      const created = await cluster.node();
      nodes.push(created);
      return created;
    }

    beforeEach(async () => {
      cluster = await makeCluster();
    });

    afterEach(async () => {
      for (const n of nodes.splice(0)) await n.close();
      await cluster.cleanup();
    });

    it('lists live entries with their data and expiry, ordered by sessionId, per document', async () => {
      const registry = await node();
      const before = Date.now();
      await registry.heartbeat('doc-1', entry('s-b', 'node-b'), LONG_TTL);
      await registry.heartbeat('doc-1', entry('s-a'), LONG_TTL);
      await registry.heartbeat('doc-2', entry('s-c'), LONG_TTL);
      const after = Date.now();
      const list = await registry.list('doc-1');
      expect(list.map(({ expiresAt: _, ...rest }) => rest)).toEqual([entry('s-a'), entry('s-b', 'node-b')]);
      for (const e of list) {
        // The backend's clock may be another machine's: allow a second of skew.
        expect(e.expiresAt).toBeGreaterThanOrEqual(before + LONG_TTL - 1_000);
        expect(e.expiresAt).toBeLessThanOrEqual(after + LONG_TTL + 1_000);
      }
      expect((await registry.list('doc-2')).map((e) => e.sessionId)).toEqual(['s-c']);
      expect(await registry.list('nobody-here')).toEqual([]);
    });

    it('replaces the data and extends the expiry on a new heartbeat', async () => {
      const registry = await node();
      await registry.heartbeat('doc', entry('s', 'node-a', { status: 'active' }), 10_000);
      const [first] = await registry.list('doc');
      await registry.heartbeat('doc', entry('s', 'node-a', { status: 'idle' }), LONG_TTL);
      const list = await registry.list('doc');
      expect(list).toHaveLength(1);
      expect(list[0]?.data).toEqual({ status: 'idle' });
      expect(list[0]!.expiresAt).toBeGreaterThan(first!.expiresAt);
    });

    it('removes a session that left; removing an absent one is a no-op', async () => {
      const registry = await node();
      await registry.heartbeat('doc', entry('s-1'), LONG_TTL);
      await registry.heartbeat('doc', entry('s-2'), LONG_TTL);
      await registry.remove('doc', 's-1');
      await registry.remove('doc', 's-1');
      await registry.remove('elsewhere', 's-2');
      expect((await registry.list('doc')).map((e) => e.sessionId)).toEqual(['s-2']);
    });

    it('shares entries between nodes, and forgets a dead node’s sessions after their TTL', async () => {
      const [alive, dying] = [await node(), await node()];
      await alive.heartbeat('doc', entry('alive-1', 'node-alive'), LONG_TTL);
      await dying.heartbeat('doc', entry('dying-1', 'node-dying'), 50);
      await dying.heartbeat('doc', entry('dying-2', 'node-dying'), 80);
      // The dying node stops heartbeating without removing anything (SIGKILL).
      const settled = await eventually(
        alive,
        'doc',
        (ids) => !ids.includes('dying-1') && !ids.includes('dying-2'),
      );
      expect(settled).toEqual(['alive-1']);
    });

    it('keeps data through a JSON round trip: emoji, nesting, null', async () => {
      const registry = await node();
      const data = { name: 'Zoë 👩‍💻', cursor: { anchor: 3, head: 7 }, tags: ['软件', null, true] };
      await registry.heartbeat('doc-ü😀', entry('s-😀', 'node-ü', data), LONG_TTL);
      await registry.heartbeat('doc-ü😀', entry('s-null', 'node-ü', null), LONG_TTL);
      const list = await registry.list('doc-ü😀');
      expect(list.map((e) => e.data)).toEqual([null, data]);
    });

    it('refuses a bad heartbeat with INVALID_ARGUMENT', async () => {
      const registry = await node();
      const bad: Array<[string, PresenceEntry, number]> = [
        ['doc', entry('s'), 0],
        ['doc', entry('s'), -5],
        ['doc', entry('s'), 1.5],
        ['doc', entry(''), LONG_TTL],
        ['doc', entry('s', ''), LONG_TTL],
        ['', entry('s'), LONG_TTL],
        ['doc', entry('s', 'node', { big: 1n }), LONG_TTL],
      ];
      for (const [documentId, e, ttl] of bad) {
        const error = await rejection(registry.heartbeat(documentId, e, ttl));
        expect(error instanceof PresenceError && error.code === 'INVALID_ARGUMENT', String(error)).toBe(true);
      }
      expect(await registry.list('doc')).toEqual([]);
    });

    it('answers ping while open and refuses calls once closed', async () => {
      const registry = await node();
      await registry.ping();
      await registry.close();
      await registry.close();
      for (const call of [registry.ping(), registry.list('doc'), registry.heartbeat('doc', entry('s'), 1)]) {
        const error = await rejection(call);
        expect(error instanceof PresenceError && error.code === 'CLOSED', String(error)).toBe(true);
      }
    });
  });
}
