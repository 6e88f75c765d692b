export { type ChangePayload, changePayload, parseChangePayload } from './change-payload.js';
export { type BrokerConfig, createPresenceRegistry, createPubSub } from './create.js';
export {
  createMemoryPresenceRegistry,
  type MemoryPresenceOptions,
  MemoryPresenceRegistry,
} from './memory-presence.js';
export { createMemoryPubSub, MemoryHub, MemoryPubSub, type MemoryPubSubOptions } from './memory-pubsub.js';
export { decodeMessage, encodeMessage } from './message-codec.js';
export {
  type LivePresenceEntry,
  type PresenceEntry,
  PresenceError,
  type PresenceErrorCode,
  type PresenceRegistry,
} from './presence-registry.js';
export { PubSubBase } from './pubsub-base.js';
export { type RedisConnectionOptions, reconnectDelay } from './redis-connection.js';
export {
  createRedisPresenceRegistry,
  type RedisPresenceOptions,
  RedisPresenceRegistry,
} from './redis-presence.js';
export {
  createRedisPubSub,
  DEFAULT_KEY_PREFIX,
  RedisPubSub,
  type RedisPubSubOptions,
} from './redis-pubsub.js';
export {
  type BrokerMessage,
  type BrokerMessageKind,
  documentChannel,
  type MessageHandler,
  type PubSub,
  PubSubError,
  type PubSubErrorCode,
  type PubSubEvents,
  type Unsubscribe,
} from './types.js';
export { type Versioned, type VersionGap, VersionOrder } from './version-order.js';
