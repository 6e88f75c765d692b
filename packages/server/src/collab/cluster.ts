/**
 * This node's part in a cluster: the RoomSync of every open document, and the timers and events
 * that keep them honest.
 *
 * - every presenceTtlMs / 3: heartbeat local sessions into the registry, list it per document
 *   (the users of a node that died expire there and leave everyone's lists), and retry a
 *   subscription that failed;
 * - every checkIntervalMs (0: off): compare each open document's version with the store and
 *   read what is missing (a lost message with nothing published after it);
 * - on the broker's 'reconnect': messages may have been lost, so catch up every document and
 *   relist presence at once.
 * With one node and in-process pub/sub nothing arrives from elsewhere and all of this is cheap.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { PresenceRegistry } from '../pubsub/presence-registry.js';
import { type BrokerMessage, documentChannel, type PubSub } from '../pubsub/types.js';
import type { DocumentStore } from '../storage/types.js';
import { type ClusterContext, type MetaEvent, RoomSync } from './cluster-sync.js';

const PERIODIC = new Set(['presence heartbeat', 'presence listing', 'version check', 'subscribing']);

export interface ClusterOptions {
  serverId: string;
  pubsub: PubSub;
  presence: PresenceRegistry;
  /** A session's registry entry lives this long without a heartbeat. */
  presenceTtlMs: number;
  /** How often each open document's version is checked against the store; 0 turns it off. */
  checkIntervalMs: number;
  store: DocumentStore;
  logger: Logger;
  /** Another node changed or deleted a document's metadata (a 'meta' message arrived). */
  onMeta(documentId: string, event: MetaEvent): void;
}

/**
 * This process's name on the broker and in the presence registry: its SERVER_ID and a random
 * suffix. A node ignores its own messages and presence entries by this name; two nodes given the
 * same SERVER_ID by mistake would otherwise ignore each other's, and their sessions would see each
 * other's edits only at the next version check. Logs from other nodes still show the SERVER_ID.
 */
function originId(serverId: string): string {
  return `${serverId}#${randomUUID().slice(0, 8)}`;
}

export class Cluster {
  private readonly links = new Set<RoomSync>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unlisten: (() => void)[] = [];
  private readonly ctx: ClusterContext;
  private readonly log: Logger;
  private closed = false;

  constructor(options: ClusterOptions) {
    this.log = options.logger.child({ component: 'cluster' });
    this.ctx = {
      serverId: originId(options.serverId),
      pubsub: options.pubsub,
      presence: options.presence,
      presenceTtlMs: options.presenceTtlMs,
      store: options.store,
      logger: this.log,
      track: (work, what) => this.track(work, what),
      onMeta: options.onMeta,
    };
    this.unlisten.push(
      options.pubsub.on('reconnect', () => {
        this.log.warn({ documents: this.links.size }, 'pub/sub reconnected: catching up from storage');
        for (const link of this.links) {
          link.refresh();
          link.heartbeat();
          this.track(link.sweep(), 'presence listing');
        }
      }),
      options.pubsub.on('error', (error) => this.log.warn({ err: error }, 'pub/sub error')),
    );
    this.every(Math.max(100, Math.floor(options.presenceTtlMs / 3)), () => this.tick());
    if (options.checkIntervalMs > 0) this.every(options.checkIntervalMs, () => this.check());
  }

  /** Subscribes for a document about to be loaded; attach() the room to the result. */
  async open(documentId: string): Promise<RoomSync> {
    const link = await RoomSync.open(documentId, this.ctx);
    if (this.closed) {
      await link.close();
    } else {
      this.links.add(link);
    }
    return link;
  }

  /**
   * This node changed a document's metadata (REST API). Published on the document's channel
   * whether or not the document is open here: nodes that have it open relay it to their sessions.
   * Best effort, like every publish: a node that misses it shows the change on the next open.
   */
  publishMeta(documentId: string, event: MetaEvent): void {
    if (this.closed) return;
    const message: BrokerMessage = {
      serverId: this.ctx.serverId,
      documentId,
      kind: 'meta',
      payload: event,
    };
    this.track(this.ctx.pubsub.publish(documentChannel(documentId), message), 'publishing meta');
  }

  /** The document was unloaded (or failed to load). */
  release(link: RoomSync): void {
    this.links.delete(link);
    this.track(link.close(), 'unsubscribing');
  }

  /** Stops the timers and waits (bounded by the caller) for outstanding publishes and removals. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const off of this.unlisten) off();
    for (const link of this.links) this.track(link.close(), 'unsubscribing');
    this.links.clear();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private tick(): void {
    for (const link of this.links) {
      if (!link.subscribed) this.track(link.subscribe(), 'subscribing');
      link.heartbeat();
      this.track(link.sweep(), 'presence listing');
    }
  }

  private check(): void {
    for (const link of this.links) this.track(link.checkVersion(), 'version check');
  }

  private every(ms: number, work: () => void): void {
    const timer = setInterval(work, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private track(work: Promise<unknown>, what: string): void {
    const tracked = work.then(
      () => undefined,
      (error: unknown) => {
        // Periodic work and publishes fail on every tick or commit while Redis is down; the
        // outage itself is logged once per reconnect attempt by the pub/sub 'error' listener.
        if (PERIODIC.has(what) || what.startsWith('publishing'))
          this.log.debug({ err: error }, `${what} failed`);
        else this.log.warn({ err: error }, `${what} failed`);
      },
    );
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }
}
