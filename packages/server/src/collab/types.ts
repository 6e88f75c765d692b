/**
 * What the collaboration core needs from the rest of the server, as narrow structural types:
 * the real Config, token service, prom-client metrics and pino logger satisfy them, and the
 * core does not depend on anything else those modules offer.
 */

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Op } from '@jd-collab/ot';
import type { DocumentSavedPayload, PresenceEvent, PresenceUser } from '@jd-collab/protocol';
import type { Logger } from 'pino';
import type { Principal } from '../auth/tokens.js';
import type { PresenceRegistry } from '../pubsub/presence-registry.js';
import type { PubSub } from '../pubsub/types.js';
import type { DocumentMeta, DocumentStore, StoredChange } from '../storage/types.js';
import type { Deletion } from './deletion.js';

export type { Principal };

export interface CollabConfig {
  /** Browser origins allowed to connect; '*' allows any. Requests without Origin are not browsers. */
  allowedOrigins: readonly string[];
  rateLimitPerSecond: number;
  rateLimitPerMinute: number;
  /** Larger frames close the connection with 1009 (enforced by ws through maxPayload). */
  maxMessageBytes: number;
  compression: boolean;
  compressionThreshold: number;
  heartbeatIntervalMs: number;
  idleTimeoutMs: number;
  /** A snapshot is stored every this many versions, so loading replays a bounded tail. */
  snapshotEvery: number;
  /** Committed changes kept in memory per open document for transforming stale changes. */
  historyLimit: number;
  /** Longest document in code points: longer-making changes are refused (DOCUMENT_TOO_LARGE). */
  maxDocumentLength: number;
  /** ... and every change younger than this (bounded), so lagging clients never hit storage. */
  historyRetainMs: number;
  /** Frames a room may write per second; sets how long a large room batches its broadcasts. */
  fanoutFramesPerSecond: number;
  shutdownTimeoutMs: number;
  serverId?: string;
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** prom-client compatible shapes of the metrics the core records. */
export interface CollabMetrics {
  connectionsTotal: { inc(labels: { status: string }, value?: number): void };
  activeConnections: { inc(): void; dec(): void };
  messagesTotal: { inc(labels: { type: string; direction: string }, value?: number): void };
  messageSize: { observe(labels: { type: string }, value: number): void };
  messageLatency: { observe(labels: { type: string }, value: number): void };
  documentsOpen: { inc(): void; dec(): void };
  changesCommitted: { inc(value?: number): void };
  transforms: { inc(value?: number): void };
  conflicts: { inc(value?: number): void };
  storageLatency: { observe(labels: { operation: string }, value: number): void };
  rateLimited: { inc(value?: number): void };
  /** sync.request answers: answer 'changes' (reason memory|storage) or 'snapshot' (requested|ahead|compacted). */
  resyncs: { inc(labels: { answer: string; reason: string }, value?: number): void };
}

/** Several nodes: how this one reaches the others (see collab/cluster.ts). */
export interface ClusterDeps {
  serverId: string;
  pubsub: PubSub;
  presence: PresenceRegistry;
  presenceTtlMs: number;
  /** How often open documents are checked against the store for missed changes; 0: never. */
  checkIntervalMs: number;
}

export interface CollabDeps {
  config: CollabConfig;
  store: DocumentStore;
  tokens: TokenVerifier;
  metrics: CollabMetrics;
  logger: Logger;
  /** Absent: this node is alone (tests of the core; the server always passes one). */
  cluster?: ClusterDeps;
}

export interface CollabStats {
  connections: number;
  documents: number;
}

export interface CollabServer {
  /**
   * Authenticates and authorises, then completes the upgrade or answers an HTTP error. Resolves
   * (never rejects) once the upgrade is answered: accepted, refused, or the socket gone.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  /** Users currently present in a document (empty when it is not open on this node). */
  presenceOf(documentId: string): PresenceUser[];
  stats(): CollabStats;
  /**
   * A document's title, department or status changed (REST API): its sessions on every node get
   * document.updated. Call with the meta the store returned after the update.
   */
  documentUpdated(meta: DocumentMeta): void;
  /**
   * A document was moved to the trash: its sessions on every node get DOCUMENT_DELETED (naming
   * who deleted it) and are closed with 1008.
   */
  documentDeleted(documentId: string, deletion: Deletion): void;
  /** Stops accepting, tells clients to reconnect, waits for in-flight commits, closes with 1012. */
  shutdown(): Promise<void>;
}

/** What a local presence update was: a status event, or a caret/selection move. */
export type PresenceUpdate = { kind: 'presence'; event: PresenceEvent } | { kind: 'cursor' | 'selection' };

/**
 * How an open room talks to the other nodes (collab/cluster-sync.ts). A room without a link is
 * alone: one node, nothing to tell anyone.
 */
export interface RoomLink {
  /** Changes this node committed, in version order, right after the commit. */
  committed(changes: readonly StoredChange[]): void;
  /** A session on this node joined, left, changed status or moved its caret. */
  presenceChanged(update: PresenceUpdate, user: PresenceUser): void;
  /** A session on this node saved a named version. */
  saved(payload: DocumentSavedPayload): void;
  /** The users of this document on other nodes. */
  users(): PresenceUser[];
  /** Maps the other nodes' carets through a committed op (as Presence does for ours). */
  transform(op: Op): void;
}
