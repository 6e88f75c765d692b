/**
 * What the collaboration core needs from the rest of the server, as narrow structural types:
 * the real Config, token service, prom-client metrics and pino logger satisfy them, and the
 * core does not depend on anything else those modules offer.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { PresenceUser } from '@jd-collab/protocol';
import type { Logger } from 'pino';
import type { Principal } from '../auth/tokens.js';
import type { DocumentStore } from '../storage/types.js';

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
}

export interface CollabDeps {
  config: CollabConfig;
  store: DocumentStore;
  tokens: TokenVerifier;
  metrics: CollabMetrics;
  logger: Logger;
}

export interface CollabStats {
  connections: number;
  documents: number;
}

export interface CollabServer {
  /** Authenticates and authorises, then completes the upgrade or answers an HTTP error. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Users currently present in a document (empty when it is not open on this node). */
  presenceOf(documentId: string): PresenceUser[];
  stats(): CollabStats;
  /** Stops accepting, tells clients to reconnect, waits for in-flight commits, closes with 1012. */
  shutdown(): Promise<void>;
}
