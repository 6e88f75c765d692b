import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPubSub } from '../../src/pubsub/create.js';
import { createRedisPubSub, type RedisPubSub } from '../../src/pubsub/redis-pubsub.js';
import { Inbox, message } from './inbox.js';
import { describePubSub } from './pubsub-conformance.js';
import {
  adminConnection,
  closedPort,
  killConnection,
  REDIS_URL,
  randomPrefix,
} from './redis-test-support.js';

let admin: Redis;

beforeAll(async () => {
  admin = await adminConnection();
});

afterAll(async () => {
  await admin?.quit();
});

/** Tests start from a steady state: both connections of the node are up. */
async function ready(pubsub: RedisPubSub): Promise<RedisPubSub> {
  await pubsub.connected();
  return pubsub;
}

describePubSub('redis', async () => {
  const keyPrefix = randomPrefix();
  return {
    node: () => ready(createRedisPubSub({ url: REDIS_URL, keyPrefix, connectionName: `${keyPrefix}node` })),
    cleanup: async () => {},
  };
});

describe('RedisPubSub', () => {
  const opened: RedisPubSub[] = [];

  async function open(keyPrefix: string, connectionName = `${keyPrefix}node`): Promise<RedisPubSub> {
    const pubsub = createRedisPubSub({ url: REDIS_URL, keyPrefix, connectionName });
    opened.push(pubsub);
    return ready(pubsub);
  }

  afterEach(async () => {
    for (const pubsub of opened.splice(0)) await pubsub.close();
  });

  it('publishes on <keyPrefix><channel>, so deployments sharing a Redis stay apart', async () => {
    const prefix = randomPrefix();
    const other = await open(randomPrefix());
    const mine = await open(prefix);
    const raw = await adminConnection();
    try {
      const heard = new Inbox();
      const foreign = new Inbox();
      await other.subscribe('doc:1', foreign.handler);
      await mine.subscribe('doc:1', heard.handler);
      // What is on the wire: JSON on the prefixed channel.
      const wire = new Promise<[string, string]>((resolve) => raw.once('message', (c, m) => resolve([c, m])));
      await raw.subscribe(`${prefix}doc:1`);
      await mine.publish('doc:1', message('m1'));
      expect(await wire).toEqual([`${prefix}doc:1`, JSON.stringify(message('m1'))]);
      await heard.waitForId('m1');
      await other.publish('doc:1', message('fence'));
      await foreign.waitForId('fence');
      expect(foreign.ids()).toEqual(['fence']);
      expect(heard.ids()).toEqual(['m1']);
    } finally {
      raw.disconnect();
    }
  });

  it('drops a malformed message from the channel with an error event, and goes on', async () => {
    const prefix = randomPrefix();
    const node = await open(prefix);
    const errors: Error[] = [];
    node.on('error', (error) => errors.push(error));
    const inbox = new Inbox();
    await node.subscribe('doc:1', inbox.handler);
    await admin.publish(`${prefix}doc:1`, 'not json {');
    await admin.publish(`${prefix}doc:1`, JSON.stringify({ serverId: 'x', kind: 'change' }));
    await admin.publish(`${prefix}doc:1`, JSON.stringify(message('good')));
    await inbox.waitForId('good');
    expect(inbox.ids()).toEqual(['good']);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/not JSON/),
      expect.stringMatching(/malformed message: documentId/),
    ]);
  });

  it('resubscribes after its subscriber connection is killed, then emits reconnect', async () => {
    const prefix = randomPrefix();
    const node = await open(prefix, `${prefix}victim`);
    const publisher = await open(prefix);
    const inbox = new Inbox();
    await node.subscribe('doc:1', inbox.handler);
    await node.subscribe('doc:2', inbox.handler);
    await publisher.publish('doc:1', message('before'));
    await inbox.waitForId('before');

    const reconnected = new Promise<void>((resolve) => node.on('reconnect', resolve));
    expect(await killConnection(admin, `${prefix}victim-sub`)).toBe(1);
    await reconnected;

    // Subscriptions are back when 'reconnect' fires: nothing published after it is missed.
    await publisher.publish('doc:1', message('after-1'));
    await publisher.publish('doc:2', message('after-2'));
    await inbox.waitForId('after-2');
    expect(inbox.ids()).toEqual(['before', 'after-1', 'after-2']);
    await node.ping();
  });

  it('comes back from losing both connections at once, as in a Redis restart', async () => {
    const prefix = randomPrefix();
    const [a, b] = [await open(prefix, `${prefix}a`), await open(prefix, `${prefix}b`)];
    const inA = new Inbox();
    const inB = new Inbox();
    await a.subscribe('doc:1', inA.handler);
    await b.subscribe('doc:1', inB.handler);
    const reconnected = Promise.all(
      [a, b].map((node) => new Promise<void>((resolve) => node.on('reconnect', resolve))),
    );
    for (const name of [`${prefix}a-sub`, `${prefix}a-pub`, `${prefix}b-sub`, `${prefix}b-pub`]) {
      expect(await killConnection(admin, name)).toBe(1);
    }
    await reconnected;
    await a.publish('doc:1', message('from-a'));
    await b.publish('doc:1', message('from-b'));
    for (const inbox of [inA, inB]) {
      await inbox.waitForId('from-a');
      await inbox.waitForId('from-b');
    }
    await Promise.all([a.ping(), b.ping()]);
  });

  it('keeps publishing after its publisher connection is killed', async () => {
    const prefix = randomPrefix();
    const node = await open(prefix, `${prefix}victim`);
    const inbox = new Inbox();
    await node.subscribe('doc:1', inbox.handler);
    expect(await killConnection(admin, `${prefix}victim-pub`)).toBe(1);
    await node.publish('doc:1', message('after-kill')); // queued until reconnected, then sent
    await inbox.waitForId('after-kill');
  });

  it('fails ping and publish promptly while Redis is unreachable', async () => {
    const port = await closedPort();
    const errors: Error[] = [];
    const node = createRedisPubSub({
      url: `redis://127.0.0.1:${port}`,
      maxRetriesPerRequest: 1,
      maxReconnectDelayMs: 50,
    });
    opened.push(node);
    node.on('error', (error) => errors.push(error));
    await expect(node.ping()).rejects.toThrow();
    await expect(node.publish('doc:1', message('x'))).rejects.toThrow();
    expect(errors.some((e) => /ECONNREFUSED/.test(e.message))).toBe(true);
  });

  it('rejects connected() when closed before Redis answered', async () => {
    const node = createRedisPubSub({
      url: `redis://127.0.0.1:${await closedPort()}`,
      maxReconnectDelayMs: 50,
    });
    node.on('error', () => {});
    const waiting = node.connected();
    await node.close();
    await expect(waiting).rejects.toThrow(/closed before it was ready/);
  });

  it('is what createPubSub returns with a Redis URL', async () => {
    const pubsub = createPubSub({ redisUrl: REDIS_URL, keyPrefix: randomPrefix() });
    expect(pubsub.kind).toBe('redis');
    await pubsub.close();
  });
});
