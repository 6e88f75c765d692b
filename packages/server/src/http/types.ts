/** What the HTTP app needs from the rest of the server, and the app's type. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { PresentUser } from '@jd-collab/protocol';
import type { FastifyInstance } from 'fastify';
import type { TokenService } from '../auth/tokens.js';
import type { Deletion } from '../collab/deletion.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { DocumentMeta, DocumentStore } from '../storage/types.js';

/** The part of the collaboration core the HTTP API reads. */
export interface CollabView {
  presenceOf(documentId: string): PresentUser[];
  stats(): { connections: number; documents: number };
  /** Tell the document's open sessions (on every node) that its title, department or status changed. */
  documentUpdated(meta: DocumentMeta): void;
  /**
   * Tell the document's open sessions (on every node) that it was deleted (DOCUMENT_DELETED, naming
   * who did it), and close them.
   */
  documentDeleted(documentId: string, deletion: Deletion): void;
}

/** Something /readyz can ask whether it answers (the pub/sub broker). */
export interface Pingable {
  readonly kind: string;
  ping(): Promise<void>;
}

/** Flipped by the server when a graceful shutdown starts, so /readyz turns 503 at once. */
export interface Readiness {
  shuttingDown: boolean;
}

/** The Fastify instance buildApp returns: a plain HTTP server logging with our pino logger. */
export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>;

export interface AppDeps {
  config: Config;
  store: DocumentStore;
  tokens: TokenService;
  metrics: Metrics;
  logger: Logger;
  collab?: CollabView;
  /** Pub/sub between nodes; /readyz checks it too. */
  broker?: Pingable;
  /** Defaults to a fresh `{ shuttingDown: false }`. */
  readiness?: Readiness;
}
