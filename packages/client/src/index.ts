export type {
  ChangeEvent,
  ChangeOrigin,
  ClientState,
  CollabClientEvents,
  CollabClientOptions,
  ConnectionStatus,
  DocumentDeleted,
  MergedEvent,
  OpenEvent,
  RestoredEvent,
  Selection,
} from './client-types.js';
export { CollabClient } from './collab-client.js';
export { Connection, type ConnectionHooks } from './connection.js';
export { diffOp } from './diff-op.js';
export { DocumentSync, type DocumentSyncHooks, type Phase } from './document-sync.js';
export { classifyClose, type Failure, type FailureKind } from './error-policy.js';
export { type ClientErrorCode, CollabError, type CollabErrorCode } from './errors.js';
export { type Listener, TypedEmitter } from './event-emitter.js';
export { Heartbeat, type HeartbeatOptions } from './heartbeat.js';
export { BATCH_DEFAULTS, type BatchOptions, MessageBatcher } from './message-batcher.js';
export {
  IndexedDbPendingStore,
  type IndexedDbPendingStoreOptions,
  type LockManagerLike,
} from './persistence/indexeddb-pending-store.js';
export { MemoryPendingStore } from './persistence/memory-pending-store.js';
export {
  type PendingClaim,
  type PendingRecord,
  type PendingStore,
  type PersistenceOptions,
  recordText,
} from './persistence/pending-store.js';
export { PresenceStore } from './presence-store.js';
export { RECONNECT_DEFAULTS, ReconnectionPolicy, type ReconnectOptions } from './reconnection.js';
export {
  type SocketClose,
  SocketConnection,
  type WebSocketConstructor,
  type WebSocketLike,
} from './socket.js';
export {
  type CommittedChange,
  type PendingChange,
  type RemoteOutcome,
  type SendableChange,
  type SyncSnapshot,
  SyncState,
  type SyncStateInit,
  type SyncStatus,
} from './sync-state.js';
export { systemTimers, type TimerHandle, TimerSlot, type Timers } from './timers.js';
