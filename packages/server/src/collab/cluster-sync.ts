/**
 * One open document's link to the other nodes serving it (the design's RedisWebSocketBroker, per
 * room). Outgoing: the changes this node committed, its sessions' presence, carets and saves are
 * published on the document's channel; its sessions are heartbeated into the PresenceRegistry.
 * Incoming: other nodes' changes go into the room's commit pipeline (applied strictly in version
 * order, holes filled from the store); their presence is kept in a RemotePresence and broadcast
 * to this node's sessions.
 *
 * The store orders changes, pub/sub only delivers them: a lost message is harmless, because the
 * next message, a reconnect or the periodic version check reads the store (refresh()).
 */
import { transformPosition, transformSelection } from '@jd-collab/ot';
import {
  type DocumentSavedPayload,
  type DocumentUpdatedPayload,
  documentSavedPayloadSchema,
  documentUpdatedPayloadSchema,
  type PresenceEvent,
  type PresenceUser,
  presenceEventSchema,
} from '@jd-collab/protocol';
import type { Logger } from 'pino';
import { changePayload, parseChangePayload } from '../pubsub/change-payload.js';
import type { PresenceRegistry } from '../pubsub/presence-registry.js';
import { type BrokerMessage, documentChannel, type PubSub, type Unsubscribe } from '../pubsub/types.js';
import type { DocumentStore, StoredChange } from '../storage/types.js';
import { type Deletion, parseDeletion } from './deletion.js';
import type { DocumentRoom } from './document-room.js';
import { parsePresenceUser, RemotePresence } from './remote-presence.js';
import type { PresenceUpdate, RoomLink } from './types.js';
import { encode } from './wire.js';

/** What every room link of a node shares (collab/cluster.ts provides it). */
export interface ClusterContext {
  serverId: string;
  pubsub: PubSub;
  presence: PresenceRegistry;
  presenceTtlMs: number;
  store: DocumentStore;
  logger: Logger;
  /** Runs background work that shutdown waits for; a failure is logged as `what`. */
  track(work: Promise<unknown>, what: string): void;
  /** A valid 'meta' message from another node (applied by the node's RoomRegistry). */
  onMeta(documentId: string, event: MetaEvent): void;
}

/**
 * The payload of a 'meta' broker message: a document's metadata changed, or it was deleted (by
 * whom: null from a node that predates the trash).
 */
export type MetaEvent =
  | { event: 'updated'; document: DocumentUpdatedPayload }
  | { event: 'deleted'; deletion: Deletion | null };

/** A 'meta' payload as received (any JSON), or null when it is not one this node understands. */
export function parseMetaEvent(payload: unknown, documentId: string): MetaEvent | null {
  const value = payload as { event?: unknown; document?: unknown; deletion?: unknown } | null;
  if (value?.event === 'deleted') return { event: 'deleted', deletion: parseDeletion(value.deletion) };
  if (value?.event !== 'updated') return null;
  const document = documentUpdatedPayloadSchema.safeParse(value.document);
  if (!document.success || document.data.documentId !== documentId) return null;
  return { event: 'updated', document: document.data };
}

/** Messages that arrive while the room is still loading wait here (a few, briefly). */
const MAX_BUFFERED = 1_000;

export class RoomSync implements RoomLink {
  private room: DocumentRoom | null = null;
  private buffered: BrokerMessage[] = [];
  private readonly remote = new RemotePresence();
  private unsubscribe: Unsubscribe | null = null;
  private closed = false;
  private readonly log: Logger;

  private constructor(
    readonly documentId: string,
    private readonly ctx: ClusterContext,
  ) {
    this.log = ctx.logger.child({ documentId });
  }

  /**
   * Subscribes (before the room reads the store, so nothing committed after that read is
   * missed) and reads who is on the other nodes. Neither failing stops the document from
   * opening: the periodic tick subscribes again, and the version check covers the meantime.
   */
  static async open(documentId: string, ctx: ClusterContext): Promise<RoomSync> {
    const sync = new RoomSync(documentId, ctx);
    await sync.subscribe();
    await sync.sweep().catch((error: unknown) => sync.log.warn({ err: error }, 'presence listing failed'));
    return sync;
  }

  get subscribed(): boolean {
    return this.unsubscribe !== null;
  }

  /** Subscribes when not subscribed yet (a failed attempt is retried by the next tick). */
  async subscribe(): Promise<void> {
    if (this.unsubscribe || this.closed) return;
    try {
      const unsubscribe = await this.ctx.pubsub.subscribe(documentChannel(this.documentId), (m) =>
        this.receive(m),
      );
      if (this.closed) await unsubscribe();
      else this.unsubscribe = unsubscribe;
    } catch (error) {
      this.log.warn({ err: error }, 'subscribing to the document channel failed; will retry');
      return;
    }
    // Messages published before the subscription took effect are lost: read the store.
    if (this.room) this.refresh();
  }

  /** The room is loaded: from now on messages go to it. */
  attach(room: DocumentRoom): void {
    this.room = room;
    room.link = this;
    const waiting = this.buffered;
    this.buffered = [];
    for (const message of waiting) this.handle(room, message);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.room?.link === this) this.room.link = null;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    await unsubscribe?.();
  }

  // ---- outgoing ----------------------------------------------------------------------------

  committed(changes: readonly StoredChange[]): void {
    this.publish('change', changePayload(changes));
  }

  presenceChanged(update: PresenceUpdate, user: PresenceUser): void {
    if (update.kind === 'presence') {
      const { presence, presenceTtlMs, serverId } = this.ctx;
      const entry = { sessionId: user.sessionId, serverId, data: user };
      this.ctx.track(
        update.event === 'left'
          ? presence.remove(this.documentId, user.sessionId)
          : presence.heartbeat(this.documentId, entry, presenceTtlMs),
        'presence registry update',
      );
      this.publish('presence', { event: update.event, user }, user.sessionId);
      return;
    }
    // The caret is at this node's version; a node at another version maps it (handle()).
    this.publish(update.kind, { user, version: this.room?.version ?? 0 }, user.sessionId);
  }

  saved(payload: DocumentSavedPayload): void {
    this.publish('save', payload);
  }

  users(): PresenceUser[] {
    return this.remote.list();
  }

  transform(op: Parameters<RemotePresence['transform']>[0]): void {
    this.remote.transform(op);
  }

  /** Refreshes this node's sessions in the registry (they expire unless heartbeated). */
  heartbeat(): void {
    if (!this.room || this.closed) return;
    const { presence, presenceTtlMs, serverId } = this.ctx;
    for (const user of this.room.presence.list()) {
      this.ctx.track(
        presence.heartbeat(
          this.documentId,
          { sessionId: user.sessionId, serverId, data: user },
          presenceTtlMs,
        ),
        'presence heartbeat',
      );
    }
  }

  /** Merges the registry's listing: users of dead nodes leave, missed joins appear. */
  async sweep(): Promise<void> {
    const listedAt = Date.now();
    const listed = await this.ctx.presence.list(this.documentId);
    if (this.closed) return;
    const { joined, left } = this.remote.reconcile(listed, listedAt, this.ctx.serverId);
    for (const user of joined) this.broadcastPresence('joined', user);
    for (const user of left) this.broadcastPresence('left', user);
  }

  /** Reads from the store whatever other nodes committed that we have not applied. */
  refresh(): void {
    const room = this.room;
    if (room && !this.closed) this.ctx.track(room.pipeline.refresh(), 'catching up from storage');
  }

  /** The safety net for lost messages: is the store ahead of us, or was the document deleted? */
  async checkVersion(): Promise<void> {
    const room = this.room;
    if (!room || this.closed) return;
    const meta = await this.ctx.store.getDocument(this.documentId);
    if (meta && meta.incarnation === room.incarnation) {
      if (meta.version > room.version && !room.pipeline.busy) this.refresh();
      return;
    }
    // Trashed (or purged, or created anew) and the 'deleted' message never arrived: act on it now.
    const record = meta ?? (await this.ctx.store.findDocument(this.documentId));
    if (this.closed || this.room !== room) return;
    const trashed = record?.deletedAt != null && record.incarnation === room.incarnation;
    const deletion =
      trashed && record.deletedBy !== null && record.deletedByName !== null
        ? { userId: record.deletedBy, name: record.deletedByName, at: record.deletedAt! }
        : null;
    this.log.warn({ trashed }, 'open document deleted without a message: closing its sessions');
    this.ctx.onMeta(this.documentId, { event: 'deleted', deletion });
  }

  private publish(kind: BrokerMessage['kind'], payload: unknown, excludeSession?: string): void {
    if (this.closed) return;
    const message: BrokerMessage = {
      serverId: this.ctx.serverId,
      documentId: this.documentId,
      kind,
      payload,
    };
    if (excludeSession !== undefined) message.excludeSession = excludeSession;
    // Never awaited: a slow or absent broker must not delay acks. Other nodes recover from a
    // lost 'change' through the store.
    this.ctx.track(this.ctx.pubsub.publish(documentChannel(this.documentId), message), `publishing ${kind}`);
  }

  // ---- incoming ----------------------------------------------------------------------------

  private receive(message: BrokerMessage): void {
    if (this.closed || message.serverId === this.ctx.serverId || message.documentId !== this.documentId) {
      return;
    }
    if (this.room) this.handle(this.room, message);
    else if (this.buffered.length < MAX_BUFFERED) this.buffered.push(message);
  }

  private handle(room: DocumentRoom, message: BrokerMessage): void {
    switch (message.kind) {
      case 'change': {
        let changes: StoredChange[];
        try {
          changes = parseChangePayload(message.payload, this.documentId);
        } catch (error) {
          this.log.warn({ err: error, from: message.serverId }, 'dropped a malformed change message');
          this.refresh();
          return;
        }
        this.ctx.track(room.pipeline.remote(changes), 'applying changes from another node');
        return;
      }
      case 'presence':
        this.onPresence(room, message);
        return;
      case 'cursor':
      case 'selection':
        this.onCaret(room, message);
        return;
      case 'save': {
        const saved = documentSavedPayloadSchema.safeParse(message.payload);
        if (!saved.success) return;
        room.broadcast(encode('document.save', saved.data, { version: room.version }));
        return;
      }
      case 'meta': {
        const event = parseMetaEvent(message.payload, this.documentId);
        if (event) this.ctx.onMeta(this.documentId, event);
        else this.log.warn({ from: message.serverId }, 'dropped a malformed meta message');
        return;
      }
    }
  }

  private onPresence(room: DocumentRoom, message: BrokerMessage): void {
    const payload = message.payload as { event?: unknown; user?: unknown } | null;
    const event = presenceEventSchema.safeParse(payload?.event);
    const user = parsePresenceUser(payload?.user);
    if (!event.success || !user) return;
    if (event.data === 'left') {
      if (this.remote.remove(user.sessionId) === undefined) return;
    } else {
      this.remote.upsert(message.serverId, user);
    }
    if (room === this.room) this.broadcastPresence(event.data, user);
  }

  private onCaret(room: DocumentRoom, message: BrokerMessage): void {
    const payload = message.payload as { user?: unknown; version?: unknown } | null;
    const user = parsePresenceUser(payload?.user);
    const version = payload?.version;
    if (!user || typeof version !== 'number') return;
    // Map the caret from the sender's version to ours when we are ahead; when we are behind,
    // the changes we have not applied yet will map it when they arrive.
    for (const change of room.history.since(version) ?? []) {
      if (user.cursor) user.cursor = { position: transformPosition(user.cursor.position, change.op) };
      if (user.selection) user.selection = transformSelection(user.selection, change.op);
    }
    const length = room.doc.length;
    if (user.cursor) user.cursor = { position: Math.min(user.cursor.position, length) };
    if (user.selection) {
      user.selection = {
        anchor: Math.min(user.selection.anchor, length),
        head: Math.min(user.selection.head, length),
      };
    }
    this.remote.upsert(message.serverId, user);
    const who = { sessionId: user.sessionId, userId: user.userId, name: user.name, color: user.color };
    const meta = { version: room.version, userId: user.userId, sessionId: user.sessionId };
    if (message.kind === 'cursor') {
      room.broadcast(encode('cursor.position', { ...who, position: user.cursor?.position ?? 0 }, meta));
    } else {
      const selection = user.selection ?? { anchor: 0, head: 0 };
      room.broadcast(
        encode('selection.change', { ...who, anchor: selection.anchor, head: selection.head }, meta),
      );
    }
  }

  private broadcastPresence(event: PresenceEvent, user: PresenceUser): void {
    const room = this.room;
    if (!room) return;
    room.broadcast(
      encode(
        'user.presence',
        { event, user },
        { version: room.version, userId: user.userId, sessionId: user.sessionId },
      ),
    );
  }
}
