/**
 * The PubSub contract as Vitest tests, run on every adapter (after sharedb's test/pubsub.js):
 *
 *   describePubSub('redis', async () => ({ node: () => ..., cleanup: async () => ... }));
 *
 * A cluster stands for one broker; node() returns a new PubSub connected to it, as a separate
 * server node would be. The suite closes the nodes it made (close must be idempotent), then
 * calls cleanup().
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BrokerMessage, type PubSub, PubSubError } from '../../src/pubsub/types.js';
import { Inbox, message } from './inbox.js';

export interface PubSubCluster {
  node(): Promise<PubSub>;
  cleanup(): Promise<void>;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

function isPubSubError(error: unknown, code: string): boolean {
  return error instanceof PubSubError && error.code === code;
}

export function describePubSub(name: string, makeCluster: () => Promise<PubSubCluster>): void {
  describe(`PubSub conformance: ${name}`, () => {
    let cluster: PubSubCluster;
    const nodes: PubSub[] = [];

    async function node(): Promise<PubSub> {
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

    it('delivers to every subscriber of the channel on every node, the publisher included', async () => {
      const [a, b, c] = [await node(), await node(), await node()];
      const inboxes = [new Inbox(), new Inbox(), new Inbox(), new Inbox()];
      await a.subscribe('doc:1', inboxes[0]!.handler);
      await b.subscribe('doc:1', inboxes[1]!.handler);
      await b.subscribe('doc:1', inboxes[2]!.handler); // two handlers on one node
      await c.subscribe('doc:1', inboxes[3]!.handler);
      await a.publish('doc:1', message('m1'));
      for (const inbox of inboxes) {
        expect(await inbox.waitForId('m1')).toEqual(message('m1'));
        expect(inbox.channels).toEqual(['doc:1']);
      }
    });

    it('delivers only to subscribers of that channel', async () => {
      const [a, b] = [await node(), await node()];
      const one = new Inbox();
      const two = new Inbox();
      await b.subscribe('doc:1', one.handler);
      await b.subscribe('doc:2', two.handler);
      await a.publish('doc:1', message('for-one'));
      await a.publish('doc:2', message('fence'));
      await two.waitForId('fence');
      await one.waitForId('for-one');
      expect(two.ids()).toEqual(['fence']);
      expect(one.ids()).toEqual(['for-one']);
    });

    it('keeps each publisher’s order, even when publishes are not awaited one by one', async () => {
      const [a, b, receiver] = [await node(), await node(), await node()];
      const inbox = new Inbox();
      await receiver.subscribe('doc:1', inbox.handler);
      const count = 50;
      await Promise.all(
        Array.from({ length: count }, (_, i) => [
          a.publish('doc:1', message(`a-${i}`, { serverId: 'a' })),
          b.publish('doc:1', message(`b-${i}`, { serverId: 'b' })),
        ]).flat(),
      );
      await inbox.waitForId(`a-${count - 1}`);
      await inbox.waitForId(`b-${count - 1}`);
      const from = (serverId: string) =>
        inbox.messages.filter((m) => m.serverId === serverId).map((m) => (m.payload as { id: string }).id);
      expect(from('a')).toEqual(Array.from({ length: count }, (_, i) => `a-${i}`));
      expect(from('b')).toEqual(Array.from({ length: count }, (_, i) => `b-${i}`));
    });

    it('stops delivering to a handler once its unsubscribe resolved, and keeps the others', async () => {
      const [a, b] = [await node(), await node()];
      const gone = new Inbox();
      const stays = new Inbox();
      const unsubscribe = await b.subscribe('doc:1', gone.handler);
      await b.subscribe('doc:1', stays.handler);
      await a.publish('doc:1', message('before'));
      await gone.waitForId('before');
      await unsubscribe();
      await unsubscribe(); // idempotent
      await a.publish('doc:1', message('after'));
      await stays.waitForId('after'); // same channel and node: the fence for `gone` too
      expect(gone.ids()).toEqual(['before']);
      expect(stays.ids()).toEqual(['before', 'after']);
    });

    it('stops delivering a channel whose last handler left, and can subscribe to it again', async () => {
      const [a, b] = [await node(), await node()];
      const first = new Inbox();
      const fence = new Inbox();
      await b.subscribe('fence', fence.handler);
      const unsubscribe = await b.subscribe('doc:1', first.handler);
      await unsubscribe();
      await a.publish('doc:1', message('unheard'));
      await a.publish('fence', message('fence-1'));
      await fence.waitForId('fence-1');
      expect(first.messages).toEqual([]);

      const again = new Inbox();
      await b.subscribe('doc:1', again.handler);
      await a.publish('doc:1', message('heard'));
      await again.waitForId('heard');
      expect(again.ids()).toEqual(['heard']);
      expect(first.messages).toEqual([]);
    });

    it('round-trips messages through JSON exactly: emoji, nesting, null, excludeSession', async () => {
      const [a, b] = [await node(), await node()];
      const inbox = new Inbox();
      await b.subscribe('doc:ü😀', inbox.handler);
      const sent: BrokerMessage[] = [
        {
          serverId: 'node-ü',
          excludeSession: 'session-👩‍💻',
          documentId: 'doc-ü😀',
          kind: 'cursor',
          payload: {
            id: 'rich',
            text: '👩‍💻 ships 🚀 — e\u0301 软件 مهندس "quoted" \\ \n',
            nested: { list: [1, -2.5, 2 ** 40, true, null, { d: 3 }], empty: {} },
          },
        },
        { serverId: 'n', documentId: 'd', kind: 'presence', payload: null },
        { serverId: 'n', documentId: 'd', kind: 'save', payload: 'plain string' },
        { serverId: 'n', documentId: 'd', kind: 'meta', payload: { id: 'last' } },
      ];
      for (const m of sent) await a.publish('doc:ü😀', m);
      await inbox.waitForId('last');
      expect(inbox.messages).toEqual(sent);
      expect(inbox.messages[0]).not.toBe(sent[0]); // a copy, never the publisher's object
    });

    it('gives each handler its own copy of a message', async () => {
      const a = await node();
      const first = new Inbox();
      const second = new Inbox();
      await a.subscribe('doc:1', (m, channel) => {
        (m.payload as { id: string }).id = 'tampered';
        first.handler(m, channel);
      });
      await a.subscribe('doc:1', second.handler);
      await a.publish('doc:1', message('original'));
      await second.waitForId('original');
      expect(first.ids()).toEqual(['tampered']);
    });

    it('refuses malformed messages and channels with INVALID_MESSAGE / INVALID_CHANNEL', async () => {
      const a = await node();
      const bad: unknown[] = [
        { ...message('x'), kind: 'gossip' },
        { ...message('x'), serverId: '' },
        { ...message('x'), documentId: 42 },
        { ...message('x'), excludeSession: 7 },
        { serverId: 'a', documentId: 'd', kind: 'change' },
        { ...message('x'), payload: { big: 10n } },
        null,
        'text',
      ];
      for (const m of bad) {
        const error = await rejection(a.publish('doc:1', m as BrokerMessage));
        expect(isPubSubError(error, 'INVALID_MESSAGE'), `${String(error)} for ${String(m)}`).toBe(true);
      }
      expect(isPubSubError(await rejection(a.publish('', message('x'))), 'INVALID_CHANNEL')).toBe(true);
      expect(isPubSubError(await rejection(a.subscribe('', () => {})), 'INVALID_CHANNEL')).toBe(true);
    });

    it('reports a handler that throws as an error event and still delivers to the others', async () => {
      const a = await node();
      const errors: Error[] = [];
      a.on('error', (error) => errors.push(error));
      const inbox = new Inbox();
      await a.subscribe('doc:1', () => {
        throw new Error('handler bug');
      });
      await a.subscribe('doc:1', inbox.handler);
      await a.publish('doc:1', message('m'));
      await inbox.waitForId('m');
      expect(errors.map((e) => e.message)).toEqual(['handler bug']);
    });

    it('answers ping while open', async () => {
      const a = await node();
      await expect(a.ping()).resolves.toBeUndefined();
    });

    it('closes cleanly: idempotent, refuses later calls, other nodes unaffected', async () => {
      const [a, b, c] = [await node(), await node(), await node()];
      const gone = new Inbox();
      const stays = new Inbox();
      const unsubscribe = await a.subscribe('doc:1', gone.handler);
      await b.subscribe('doc:1', stays.handler);
      await a.close();
      await a.close();
      await unsubscribe(); // harmless after close
      for (const call of [a.publish('doc:1', message('x')), a.subscribe('doc:1', () => {}), a.ping()]) {
        expect(isPubSubError(await rejection(call), 'CLOSED')).toBe(true);
      }
      await c.publish('doc:1', message('after-close'));
      await stays.waitForId('after-close');
      expect(gone.messages).toEqual([]);
    });
  });
}
