/**
 * One place that decides how this program talks to Redis (ioredis options), shared by the
 * pub/sub and presence adapters.
 *
 * Reconnecting never gives up: a node must come back by itself when Redis does, however long the
 * outage. The wait between attempts grows exponentially with jitter (so a restarted Redis is not
 * hit by every node at the same instant) up to maxReconnectDelayMs. A single command, though,
 * waits at most maxRetriesPerRequest reconnect attempts and then rejects, so callers (a publish,
 * a presence heartbeat, /readyz) fail promptly instead of hanging while Redis is down.
 */
import { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  /** `redis://[:password@]host:port[/db]` (REDIS_URL). */
  url: string;
  /** Upper bound of the wait between reconnect attempts. Default 2 s. */
  maxReconnectDelayMs?: number;
  /** Reconnect attempts a command waits for before it rejects. Default 3. */
  maxRetriesPerRequest?: number;
  /** TCP connect timeout. Default 5 s. */
  connectTimeoutMs?: number;
  /**
   * Base of the CLIENT SETNAME name (`<name>-pub`, `<name>-sub`, ...), which makes this node's
   * connections recognisable in CLIENT LIST. Default 'jd-collab'. No spaces.
   */
  connectionName?: string;
}

const CONNECTION_NAME = /^[!-~]+$/;

/** Exponential backoff with jitter, capped at maxDelayMs. `attempt` starts at 1. */
export function reconnectDelay(
  attempt: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const exponential = 50 * 2 ** Math.min(Math.max(attempt - 1, 0), 16);
  const capped = Math.min(exponential, maxDelayMs);
  return Math.round(capped / 2 + (random() * capped) / 2);
}

export function createRedisConnection(options: RedisConnectionOptions, role: string): Redis {
  const name = `${options.connectionName ?? 'jd-collab'}-${role}`;
  if (!CONNECTION_NAME.test(name)) {
    throw new TypeError(`Redis connection name must be printable ASCII without spaces, got "${name}"`);
  }
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  return new Redis(options.url, {
    connectionName: name,
    retryStrategy: (attempt) => reconnectDelay(attempt, maxDelay),
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 3,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    // Subscriptions are restored by RedisPubSub itself, so it knows when they are back.
    autoResubscribe: false,
  });
}

/** QUIT when connected (pending replies arrive first), otherwise just drop the socket. */
export async function closeRedisConnection(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // Fall through: the connection is unusable anyway.
    }
  }
  redis.disconnect();
}
