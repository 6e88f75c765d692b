/**
 * Picks the delivery and presence backends from the configuration: Redis when a URL is given
 * (REDIS_URL), otherwise in-process (one node, nothing to run).
 */
import { createMemoryPresenceRegistry } from './memory-presence.js';
import { createMemoryPubSub } from './memory-pubsub.js';
import type { PresenceRegistry } from './presence-registry.js';
import type { RedisConnectionOptions } from './redis-connection.js';
import { createRedisPresenceRegistry } from './redis-presence.js';
import { createRedisPubSub } from './redis-pubsub.js';
import type { PubSub } from './types.js';

export interface BrokerConfig extends Omit<RedisConnectionOptions, 'url'> {
  /** REDIS_URL; unset or empty means in-process. */
  redisUrl?: string | undefined;
  /** Prefix of every Redis channel and key. Default 'jd-collab:'. */
  keyPrefix?: string | undefined;
}

function redisOptions(config: BrokerConfig, url: string) {
  const { redisUrl: _url, keyPrefix, ...connection } = config;
  return { ...connection, url, ...(keyPrefix === undefined ? {} : { keyPrefix }) };
}

export function createPubSub(config: BrokerConfig = {}): PubSub {
  const url = config.redisUrl?.trim();
  return url ? createRedisPubSub(redisOptions(config, url)) : createMemoryPubSub();
}

/** `onError` receives connection errors of the Redis adapter (it keeps reconnecting). */
export function createPresenceRegistry<T = unknown>(
  config: BrokerConfig = {},
  onError?: (error: Error) => void,
): PresenceRegistry<T> {
  const url = config.redisUrl?.trim();
  return url
    ? createRedisPresenceRegistry<T>(redisOptions(config, url), onError)
    : createMemoryPresenceRegistry<T>();
}
