/**
 * Test harness for the collaboration core: a real node:http server on port 0 with only the
 * collab upgrade handler wired, a real store, real HS256 tokens and real `ws` clients. Helpers
 * wait on events (a message matching a predicate, a close, an HTTP refusal), never on sleeps; the
 * only timer is a guard that turns a hang into a readable failure.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  changeBroadcastPayload,
  clientSubprotocols,
  parseServerFrame,
  type ServerMessage,
} from '@jd-collab/protocol';
import WebSocket from 'ws';
import { createTokenService, type TokenService } from '../../src/auth/tokens.js';
import { createCollabServer } from '../../src/collab/index.js';
import type { ClusterDeps, CollabServer } from '../../src/collab/types.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { createMemoryStore } from '../../src/storage/index.js';
import type { DocumentStore } from '../../src/storage/types.js';
import { ensureDocument } from '../support/documents.js';

export const SECRET = 'collab-test-secret-that-is-long-enough-0123456789';
const WAIT_GUARD_MS = 5_000;

export interface TokenOptions {
  sub?: string;
  name?: string;
  permissions?: string[];
  roles?: string[];
  ttlSeconds?: number;
}

export interface ConnectOptions extends TokenOptions {
  /** An explicit token ('' = none); default: a fresh token from the other options. */
  token?: string;
  /** Send the token as subprotocol instead of ?token=. */
  viaSubprotocol?: boolean;
  headers?: Record<string, string>;
  /** ws client options: autoPong false plays a dead peer; compress offers permessage-deflate. */
  autoPong?: boolean;
  compress?: boolean;
  /**
   * Create the document first if it does not exist (default true): opening never creates one, and
   * most tests are about what happens once it is open. False to open exactly what the store holds.
   */
  ensure?: boolean;
}

export interface Refusal {
  status: number;
  body: { code?: string; message?: string };
}

export interface Harness {
  config: Config;
  store: DocumentStore;
  tokens: TokenService;
  metrics: Metrics;
  collab: CollabServer;
  server: Server;
  baseUrl: string;
  token(options?: TokenOptions): Promise<string>;
  connect(documentId: string, options?: ConnectOptions): Promise<TestClient>;
  /** An upgrade the server must refuse: resolves with the HTTP status and JSON body. */
  refused(path: string, options?: ConnectOptions): Promise<Refusal>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: Partial<Config>;
  store?: DocumentStore;
  /** Make this node one of several (pub/sub, presence registry). */
  cluster?: ClusterDeps;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const config: Config = {
    ...loadConfig({ JWT_SECRET: SECRET, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', PORT: '0' }),
    host: '127.0.0.1',
    // Tests send bursts; the rate-limit tests set their own small limits.
    rateLimitPerSecond: 10_000,
    rateLimitPerMinute: 100_000,
    ...options.config,
  };
  const store = options.store ?? createMemoryStore();
  await store.init();
  const tokens = createTokenService(SECRET);
  const metrics = createMetrics({ defaultMetrics: false });
  const logger = createLogger(config);
  const collab = createCollabServer({
    config,
    store,
    tokens,
    metrics,
    logger,
    ...(options.cluster ? { cluster: options.cluster } : {}),
  });
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  server.on('upgrade', (req, socket, head) => collab.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `ws://127.0.0.1:${port}`;
  const clients = new Set<TestClient>();

  const token = (o: TokenOptions = {}): Promise<string> =>
    tokens.sign(
      {
        sub: o.sub ?? 'alice',
        name: o.name ?? o.sub ?? 'Alice',
        permissions: o.permissions ?? ['document:*:write'],
        roles: o.roles ?? [],
      },
      o.ttlSeconds ?? 600,
    );

  async function open(path: string, o: ConnectOptions): Promise<WebSocket> {
    const jwt = o.token ?? (await token(o));
    const separator = path.includes('?') ? '&' : '?';
    const query = jwt !== '' && !o.viaSubprotocol ? `${separator}token=${encodeURIComponent(jwt)}` : '';
    const protocols = o.viaSubprotocol ? clientSubprotocols(jwt) : ['jd-collab.v1'];
    return new WebSocket(`${baseUrl}${path}${query}`, protocols, {
      headers: o.headers,
      autoPong: o.autoPong ?? true,
      perMessageDeflate: o.compress ?? false,
    });
  }

  return {
    config,
    store,
    tokens,
    metrics,
    collab,
    server,
    baseUrl,
    token,
    async connect(documentId, o = {}) {
      if (o.ensure !== false) await ensureDocument(store, documentId);
      const ws = await open(`/ws/document/${documentId}`, o);
      const client = new TestClient(ws);
      clients.add(client);
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('unexpected-response', (_req, res) =>
          reject(new Error(`upgrade refused: ${res.statusCode}`)),
        );
        ws.once('error', reject);
      });
      return client;
    },
    async refused(path, o = {}) {
      const ws = await open(path, o);
      return new Promise<Refusal>((resolve, reject) => {
        ws.once('open', () => {
          ws.terminate();
          reject(new Error(`expected ${path} to be refused, but it opened`));
        });
        ws.once('unexpected-response', (req, res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, body: text === '' ? {} : JSON.parse(text) });
          });
        });
        ws.once('error', () => undefined);
      });
    },
    async close() {
      for (const c of clients) c.terminate();
      await collab.shutdown();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      await store.close();
    },
  };
}

/**
 * Stops nodes that share one store (several collab cores in one process): every core first, then
 * the HTTP servers, then the store once.
 */
export async function closeNodesSharingStore(nodes: readonly Harness[]): Promise<void> {
  for (const n of nodes) await n.collab.shutdown();
  for (const n of nodes) {
    await new Promise<void>((resolve) => {
      n.server.close(() => resolve());
      n.server.closeAllConnections();
    });
  }
  await nodes[0]?.store.close();
}

interface Waiter {
  predicate: (m: ServerMessage) => boolean;
  resolve: (m: ServerMessage) => void;
}

/** A real ws client that records every server message (batches flattened) and validates it. */
export class TestClient {
  /** Every message received, in order. */
  readonly received: ServerMessage[] = [];
  /** Raw frames, to check batching. */
  readonly frames: string[] = [];
  /** Server messages that did not match the protocol schema (must stay empty). */
  readonly violations: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly taken = new Set<ServerMessage>();
  private readonly listeners: ((m: ServerMessage) => void)[] = [];
  private waiters: Waiter[] = [];

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    ws.on('message', (data) => {
      const text = data.toString();
      this.frames.push(text);
      const parsed = parseServerFrame(text);
      for (const result of parsed.results) {
        if (!result.ok) {
          this.violations.push(`${result.error.message} in ${text.slice(0, 300)}`);
          continue;
        }
        for (const message of asSingleChanges(result.message)) {
          this.received.push(message);
          for (const listener of this.listeners) listener(message);
          this.offer(message);
        }
      }
    });
  }

  /** Calls `listener` with every message, those already received first, in order. */
  onMessage(listener: (m: ServerMessage) => void): void {
    for (const m of this.received) listener(m);
    this.listeners.push(listener);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first not yet taken message matching `predicate` (already received or still to come). */
  next(predicate: (m: ServerMessage) => boolean, what = 'a matching message'): Promise<ServerMessage> {
    const found = this.received.find((m) => !this.taken.has(m) && predicate(m));
    if (found) {
      this.taken.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (m) => {
          clearTimeout(guard);
          resolve(m);
        },
      };
      const guard = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.received.map((m) => `${m.type} ${JSON.stringify(m.payload).slice(0, 120)}`);
        reject(new Error(`timed out waiting for ${what}; received:\n  ${seen.join('\n  ')}`));
      }, WAIT_GUARD_MS);
      this.waiters.push(waiter);
    });
  }

  /** The next message of a type (optionally also matching `predicate`), as a typed payload holder. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read payload fields of every message shape
  async nextOf(type: ServerMessage['type'], predicate: (payload: any) => boolean = () => true): Promise<any> {
    const m = await this.next((x) => x.type === type && predicate(x.payload), type);
    return m;
  }

  /** All received messages of a type, taken or not. */
  // biome-ignore lint/suspicious/noExplicitAny: see nextOf
  all(type: ServerMessage['type']): any[] {
    return this.received.filter((m) => m.type === type);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }

  terminate(): void {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
  }

  private offer(message: ServerMessage): void {
    const waiter = this.waiters.find((w) => w.predicate(message));
    if (!waiter) return;
    this.waiters = this.waiters.filter((w) => w !== waiter);
    this.taken.add(message);
    waiter.resolve(message);
  }
}

/**
 * A `document.changes` batch as the `document.change` broadcasts it stands for (tests wait for
 * changes one by one, however the server batched them; `frames` keeps what was on the wire).
 */
function asSingleChanges(message: ServerMessage): ServerMessage[] {
  if (message.type !== 'document.changes') return [message];
  return message.payload.changes.map((entry) => ({
    type: 'document.change',
    payload: changeBroadcastPayload(entry),
    metadata: { ...message.metadata, version: entry.version, userId: entry.userId },
  }));
}

/** Messages a test sends (plain objects: the server must cope with anything). */
export const msg = {
  insert: (position: number, content: string, extra: Record<string, unknown> = {}) => ({
    type: 'document.change',
    payload: { operation: 'insert', position, content, ...extra },
  }),
  remove: (position: number, length: number, extra: Record<string, unknown> = {}) => ({
    type: 'document.change',
    payload: { operation: 'delete', position, length, ...extra },
  }),
  change: (changeId: string, baseVersion: number, op: unknown, correlationId?: string) => ({
    type: 'document.change',
    payload: { changeId, baseVersion, op },
    ...(correlationId ? { metadata: { correlationId } } : {}),
  }),
  sync: (sinceVersion?: number, correlationId?: string) => ({
    type: 'sync.request',
    payload: sinceVersion === undefined ? {} : { sinceVersion },
    ...(correlationId ? { metadata: { correlationId } } : {}),
  }),
};

/** Sends sync.request with a correlationId and returns the full content at the answer. */
export async function contentOf(client: TestClient): Promise<{ content: string; version: number }> {
  const correlationId = `sync-${Math.random().toString(36).slice(2)}`;
  client.send(msg.sync(undefined, correlationId));
  const m = await client.next(
    (x) => x.type === 'sync.response' && x.metadata.correlationId === correlationId,
    'sync.response',
  );
  const payload = m.payload as { content: string; version: number };
  return { content: payload.content, version: payload.version };
}
