/**
 * PresenceRegistry on Redis, shared by every node. Per document, two keys:
 *   <prefix>presence:<documentId>         hash   sessionId -> entry JSON
 *   <prefix>presence-expiry:<documentId>  zset   sessionId scored by its expiry (ms)
 * Each operation is one Lua script, so it is atomic, and reads the clock with Redis TIME: every
 * node then measures expiry on the same clock, whatever the skew between the nodes' own clocks.
 * Expired sessions are removed by the next list() of that document; both keys also carry a
 * PEXPIRE as long as their longest-lived entry, so a document nobody lists again does not
 * leave keys behind forever.
 */
import type { Redis } from 'ioredis';
import {
  bySessionId,
  checkHeartbeat,
  type LivePresenceEntry,
  type PresenceEntry,
  PresenceError,
  type PresenceRegistry,
} from './presence-registry.js';
import {
  closeRedisConnection,
  createRedisConnection,
  type RedisConnectionOptions,
} from './redis-connection.js';
import { DEFAULT_KEY_PREFIX } from './redis-pubsub.js';

const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: hash, zset. ARGV: sessionId, ttlMs, entry JSON. Returns the expiry. */
const HEARTBEAT = `${NOW_MS}
local expiresAt = now + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], expiresAt, ARGV[1])
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
local keep = tonumber(last[2]) - now
redis.call('PEXPIRE', KEYS[1], keep)
redis.call('PEXPIRE', KEYS[2], keep)
return expiresAt`;

/** KEYS: hash, zset. ARGV: sessionId. */
const REMOVE = `redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

/** KEYS: hash, zset. Drops the expired, returns [sessionId, json, expiresAt, ...] of the live. */
const LIST = `${NOW_MS}
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, sessionId in ipairs(expired) do
  redis.call('HDEL', KEYS[1], sessionId)
  redis.call('ZREM', KEYS[2], sessionId)
end
local live = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #live, 2 do
  local json = redis.call('HGET', KEYS[1], live[i])
  if json then
    out[#out + 1] = live[i]
    out[#out + 1] = json
    out[#out + 1] = live[i + 1]
  end
end
return out`;

export interface RedisPresenceOptions extends RedisConnectionOptions {
  /** Prepended to every key. Default 'jd-collab:'. */
  keyPrefix?: string;
}

export class RedisPresenceRegistry<T = unknown> implements PresenceRegistry<T> {
  readonly kind = 'redis';
  readonly #prefix: string;
  readonly #redis: Redis;
  #closed = false;

  constructor(options: RedisPresenceOptions, onError: (error: Error) => void = () => {}) {
    this.#prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.#redis = createRedisConnection(options, 'presence');
    // ioredis reports failed reconnect attempts here (and would log them without a listener).
    this.#redis.on('error', (error: Error) => onError(error));
  }

  async heartbeat(documentId: string, entry: PresenceEntry<T>, ttlMs: number): Promise<void> {
    this.#assertOpen();
    const json = checkHeartbeat(documentId, entry, ttlMs);
    await this.#redis.eval(HEARTBEAT, 2, ...this.#keys(documentId), entry.sessionId, ttlMs, json);
  }

  async remove(documentId: string, sessionId: string): Promise<void> {
    this.#assertOpen();
    await this.#redis.eval(REMOVE, 2, ...this.#keys(documentId), sessionId);
  }

  async list(documentId: string): Promise<LivePresenceEntry<T>[]> {
    this.#assertOpen();
    const flat = (await this.#redis.eval(LIST, 2, ...this.#keys(documentId))) as string[];
    const live: LivePresenceEntry<T>[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const entry = JSON.parse(flat[i + 1]!) as PresenceEntry<T>;
      live.push({
        sessionId: entry.sessionId,
        serverId: entry.serverId,
        data: entry.data,
        expiresAt: Number(flat[i + 2]),
      });
    }
    return live.sort(bySessionId);
  }

  async ping(): Promise<void> {
    this.#assertOpen();
    await this.#redis.ping();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeRedisConnection(this.#redis);
  }

  #keys(documentId: string): [string, string] {
    return [`${this.#prefix}presence:${documentId}`, `${this.#prefix}presence-expiry:${documentId}`];
  }

  #assertOpen(): void {
    if (this.#closed) throw new PresenceError('CLOSED', 'the Redis presence registry is closed');
  }
}

export function createRedisPresenceRegistry<T = unknown>(
  options: RedisPresenceOptions,
  onError?: (error: Error) => void,
): RedisPresenceRegistry<T> {
  return new RedisPresenceRegistry<T>(options, onError);
}
