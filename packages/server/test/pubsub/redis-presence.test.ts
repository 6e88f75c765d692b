import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPresenceRegistry } from '../../src/pubsub/create.js';
import { createRedisPresenceRegistry } from '../../src/pubsub/redis-presence.js';
import { describePresenceRegistry } from './presence-conformance.js';
import { adminConnection, deleteKeys, REDIS_URL, randomPrefix } from './redis-test-support.js';

let admin: Redis;

beforeAll(async () => {
  admin = await adminConnection();
});

afterAll(async () => {
  await admin?.quit();
});

describePresenceRegistry('redis', async () => {
  const keyPrefix = randomPrefix();
  return {
    node: async () => createRedisPresenceRegistry({ url: REDIS_URL, keyPrefix }),
    cleanup: () => deleteKeys(admin, keyPrefix),
  };
});

describe('RedisPresenceRegistry', () => {
  it('keeps a document’s keys only as long as its longest-lived entry, and under its prefix', async () => {
    const keyPrefix = randomPrefix();
    const registry = createRedisPresenceRegistry({ url: REDIS_URL, keyPrefix });
    try {
      await registry.heartbeat('doc', { sessionId: 'short', serverId: 'n', data: null }, 5_000);
      await registry.heartbeat('doc', { sessionId: 'long', serverId: 'n', data: null }, 30_000);
      await registry.heartbeat('doc', { sessionId: 'short', serverId: 'n', data: null }, 5_000);
      const keys = (await admin.keys(`${keyPrefix}*`)).sort();
      expect(keys).toEqual([`${keyPrefix}presence-expiry:doc`, `${keyPrefix}presence:doc`]);
      for (const key of keys) {
        const ttl = await admin.pttl(key);
        expect(ttl).toBeGreaterThan(20_000);
        expect(ttl).toBeLessThanOrEqual(30_000);
      }
      await registry.remove('doc', 'short');
      await registry.remove('doc', 'long');
      expect(await admin.keys(`${keyPrefix}*`)).toEqual([]);
    } finally {
      await registry.close();
      await deleteKeys(admin, keyPrefix);
    }
  });

  it('is what createPresenceRegistry returns with a Redis URL', async () => {
    const registry = createPresenceRegistry({ redisUrl: REDIS_URL, keyPrefix: randomPrefix() });
    expect(registry.kind).toBe('redis');
    await registry.ping();
    await registry.close();
  });
});
