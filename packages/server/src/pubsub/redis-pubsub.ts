/**
 * PubSub over Redis (the design's RedisWebSocketBroker). Two connections, because a Redis
 * connection in subscriber mode can run nothing but (un)subscribe commands: one publishes, one
 * subscribes. Channels on Redis are `<keyPrefix><channel>`, so several deployments (or test runs)
 * can share one Redis.
 *
 * Redis pub/sub is fire-and-forget: a message published while a node's subscriber connection is
 * down is lost for that node. So after the subscriber reconnects, this adapter subscribes to
 * every channel again and only then emits 'reconnect': from that moment every new message
 * arrives, and the caller fills whatever it missed before from the database.
 */
import type { Redis } from 'ioredis';
import { PubSubBase } from './pubsub-base.js';
import {
  closeRedisConnection,
  createRedisConnection,
  type RedisConnectionOptions,
} from './redis-connection.js';

export interface RedisPubSubOptions extends RedisConnectionOptions {
  /** Prepended to every channel name on Redis. Default 'jd-collab:'. */
  keyPrefix?: string;
}

export const DEFAULT_KEY_PREFIX = 'jd-collab:';

export class RedisPubSub extends PubSubBase {
  readonly kind = 'redis';
  readonly #prefix: string;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  #subscriberWasReady = false;

  constructor(options: RedisPubSubOptions) {
    super();
    this.#prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.#publisher = createRedisConnection(options, 'pub');
    this.#subscriber = createRedisConnection(options, 'sub');
    for (const [role, redis] of [
      ['publisher', this.#publisher],
      ['subscriber', this.#subscriber],
    ] as const) {
      // ioredis reports every failed reconnect attempt here; it keeps trying by itself.
      redis.on('error', (error: Error) => {
        this.emitError(new Error(`Redis ${role} connection: ${error.message}`, { cause: error }));
      });
    }
    this.#subscriber.on('message', (channel: string, message: string) => {
      if (channel.startsWith(this.#prefix)) this.deliver(channel.slice(this.#prefix.length), message);
    });
    this.#subscriber.on('ready', () => {
      void this.#restoreSubscriptions();
    });
  }

  /**
   * Resolves once both connections are up (at start, the connections open in the background).
   * Rejects when the adapter is closed first. Useful for a node that wants Redis before serving.
   */
  async connected(): Promise<void> {
    this.assertOpen();
    await Promise.all([untilReady(this.#publisher), untilReady(this.#subscriber)]);
  }

  /** Both connections answer (for /readyz): a node that cannot receive is not ready either. */
  async ping(): Promise<void> {
    this.assertOpen();
    if (this.#subscriber.status !== 'ready') {
      throw new Error(`Redis subscriber connection is ${this.#subscriber.status}`);
    }
    await this.#publisher.ping();
  }

  protected async transportPublish(channel: string, json: string): Promise<void> {
    await this.#publisher.publish(this.#prefix + channel, json);
  }

  protected async transportSubscribe(channel: string): Promise<void> {
    await this.#subscriber.subscribe(this.#prefix + channel);
  }

  protected async transportUnsubscribe(channel: string): Promise<void> {
    await this.#subscriber.unsubscribe(this.#prefix + channel);
  }

  protected async transportClose(): Promise<void> {
    await Promise.all([closeRedisConnection(this.#publisher), closeRedisConnection(this.#subscriber)]);
  }

  /** On every (re)connection of the subscriber: subscribe to all channels, then announce it. */
  async #restoreSubscriptions(): Promise<void> {
    const reconnected = this.#subscriberWasReady;
    this.#subscriberWasReady = true;
    const channels = this.channels;
    try {
      if (channels.length > 0) {
        await this.#subscriber.subscribe(...channels.map((channel) => this.#prefix + channel));
      }
    } catch (error) {
      // The connection dropped again; the next 'ready' tries again.
      this.emitError(error);
      return;
    }
    if (reconnected && !this.closed) this.emitReconnect();
  }
}

function untilReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      redis.off('end', onEnd);
      resolve();
    };
    const onEnd = () => {
      redis.off('ready', onReady);
      reject(new Error('the Redis connection was closed before it was ready'));
    };
    redis.once('ready', onReady);
    redis.once('end', onEnd);
  });
}

export function createRedisPubSub(options: RedisPubSubOptions): RedisPubSub {
  return new RedisPubSub(options);
}
