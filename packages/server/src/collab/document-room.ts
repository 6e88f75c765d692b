/**
 * One open document on this node: its current text (a TextDocument, for cheap applies), the
 * recent committed changes, the sessions in it and their presence. All writes go through the
 * room's CommitPipeline; the room turns committed changes into acks and broadcasts.
 */
import { TextDocument } from '@jd-collab/ot';
import type {
  DocumentOpenPayload,
  DocumentUpdatedPayload,
  PresenceEvent,
  PresenceUser,
} from '@jd-collab/protocol';
import { CloseCode, changeBroadcastPayload, userColor } from '@jd-collab/protocol';
import type { Logger } from 'pino';
import type { DocumentStore } from '../storage/types.js';
import { CommitPipeline, type CommittedEntry } from './commit-pipeline.js';
import { type Deletion, deletedError } from './deletion.js';
import { ChangeHistory } from './history.js';
import { Presence } from './presence.js';
import { type SyncResult, syncResponse } from './resync.js';
import { RoomFanout } from './room-fanout.js';
import type { Session } from './session.js';
import type { CollabConfig, CollabMetrics, PresenceUpdate, RoomLink } from './types.js';
import { changeEntry, encode, type OutgoingMessage } from './wire.js';

export interface RoomDeps {
  config: Pick<
    CollabConfig,
    'historyLimit' | 'historyRetainMs' | 'snapshotEvery' | 'fanoutFramesPerSecond' | 'maxDocumentLength'
  >;
  store: DocumentStore;
  metrics: CollabMetrics;
  logger: Logger;
}

/** Who submitted a change: the ack goes back to this session with this correlationId. */
export interface ChangeOrigin {
  session: Session;
  correlationId: string | undefined;
}

export class DocumentRoom {
  readonly sessions = new Map<string, Session>();
  readonly presence = new Presence();
  readonly pipeline: CommitPipeline<ChangeOrigin>;
  private readonly fanout: RoomFanout;
  /** Set by the cluster layer when other nodes serve this document too. */
  link: RoomLink | null = null;
  private lastSnapshotVersion: number;
  private snapshotting = false;
  private readonly log: Logger;

  private constructor(
    readonly documentId: string,
    /** Which creation of the id this room holds (DocumentMeta.incarnation). */
    readonly incarnation: string,
    public title: string,
    readonly doc: TextDocument,
    readonly history: ChangeHistory,
    snapshotVersion: number,
    private readonly deps: RoomDeps,
  ) {
    this.lastSnapshotVersion = snapshotVersion;
    this.log = deps.logger.child({ documentId });
    this.fanout = new RoomFanout(this.sessions, deps.config.fanoutFramesPerSecond);
    const { metrics } = deps;
    this.pipeline = new CommitPipeline<ChangeOrigin>({
      documentId,
      store: deps.store,
      history,
      doc,
      committed: (entries) => this.onCommitted(entries),
      observeStorage: (operation, seconds) => metrics.storageLatency.observe({ operation }, seconds),
      counters: {
        transforms: (n) => {
          if (n > 0) metrics.transforms.inc(n);
        },
        conflict: () => metrics.conflicts.inc(),
        committed: (n) => metrics.changesCommitted.inc(n),
      },
      now: Date.now,
      maxDocumentLength: deps.config.maxDocumentLength,
    });
  }

  /** Loads the latest snapshot plus the changes after it. Null when the document does not exist. */
  static async load(documentId: string, deps: RoomDeps): Promise<DocumentRoom | null> {
    const { store, metrics } = deps;
    const t0 = performance.now();
    const meta = await store.getDocument(documentId);
    if (!meta) return null;
    const snapshot = await store.getSnapshot(documentId);
    const base = snapshot?.version ?? 0;
    const tail = await store.getChanges(documentId, base);
    metrics.storageLatency.observe({ operation: 'loadDocument' }, (performance.now() - t0) / 1000);
    const doc = new TextDocument(snapshot?.content ?? '');
    for (const change of tail) doc.apply(change.op);
    const version = tail.at(-1)?.version ?? base;
    const history = new ChangeHistory(
      { limit: deps.config.historyLimit, retainMs: deps.config.historyRetainMs },
      version,
      tail.slice(-deps.config.historyLimit),
    );
    return new DocumentRoom(documentId, meta.incarnation, meta.title, doc, history, base, deps);
  }

  get version(): number {
    return this.history.version;
  }

  /** Adds a session: it gets the full state, the others a 'joined' event. */
  join(session: Session): void {
    // Its document.open holds everything broadcast so far: later broadcasts start a new segment.
    this.fanout.cut();
    this.sessions.set(session.id, session);
    const user = this.presence.join({ sessionId: session.id, userId: session.userId, name: session.name });
    session.deliver(this.openMessage(session));
    this.broadcastPresence('joined', user, session);
  }

  /** Everyone in the document: the sessions here, then those on other nodes. */
  users(): PresenceUser[] {
    const here = this.presence.list();
    return this.link ? [...here, ...this.link.users()] : here;
  }

  /** Removes a session; the others get a 'left' event. Idempotent. */
  leave(session: Session): void {
    if (!this.sessions.delete(session.id)) return;
    const user = this.presence.leave(session.id);
    if (user) this.broadcastPresence('left', user, session);
  }

  openMessage(session: Session, correlationId?: string): OutgoingMessage {
    const payload: DocumentOpenPayload = {
      documentId: this.documentId,
      title: this.title,
      content: this.doc.toString(),
      version: this.version,
      canWrite: session.canWrite,
      self: {
        sessionId: session.id,
        userId: session.userId,
        name: session.name,
        color: userColor(session.userId),
      },
      users: this.users(),
      incarnation: this.incarnation,
    };
    return encode('document.open', payload, { version: this.version, correlationId }, true);
  }

  /**
   * The answer to sync.request: the changes since `sinceVersion` from memory or storage, the full
   * content only when they no longer exist (resync.ts). Rejects when storage fails.
   */
  sync(sinceVersion: number | undefined): Promise<SyncResult> {
    const { store, metrics } = this.deps;
    return syncResponse(
      {
        documentId: this.documentId,
        history: this.history,
        content: () => this.doc.toString(),
        readChanges: async (from, to) => {
          const t0 = performance.now();
          try {
            return await store.getChanges(this.documentId, from, to);
          } finally {
            metrics.storageLatency.observe({ operation: 'getChanges' }, (performance.now() - t0) / 1000);
          }
        },
      },
      sinceVersion,
    );
  }

  /**
   * Sends one message to every session except `except` (serialised once, one shared frame; see
   * RoomFanout for when it goes out). `replacement` is what `except` gets instead (an ack).
   */
  broadcast(message: OutgoingMessage, except?: Session, replacement?: OutgoingMessage): void {
    this.addBroadcast(message, except, replacement);
    this.fanout.schedule(false);
  }

  private addBroadcast(
    message: OutgoingMessage,
    except?: Session,
    replacement?: OutgoingMessage,
    change?: { entry: string; version: number },
  ): void {
    this.fanout.add(message, except, replacement, change);
    const excluded = except !== undefined && this.sessions.has(except.id);
    const recipients = this.sessions.size - (excluded ? 1 : 0);
    if (recipients > 0)
      this.deps.metrics.messagesTotal.inc({ type: message.type, direction: 'out' }, recipients);
    if (excluded && replacement)
      this.deps.metrics.messagesTotal.inc({ type: replacement.type, direction: 'out' });
  }

  /** The room is being unloaded: send what is held back; no timer outlives it. */
  dispose(): void {
    this.fanout.flush();
  }

  broadcastPresence(event: PresenceEvent, user: PresenceUser, from: Session): void {
    const message = encode(
      'user.presence',
      { event, user },
      { version: this.version, userId: from.userId, sessionId: from.id },
    );
    this.broadcast(message, from);
    this.announce({ kind: 'presence', event }, user);
  }

  /** Tells the other nodes (if any) about a local session's presence. */
  announce(update: PresenceUpdate, user: PresenceUser): void {
    this.link?.presenceChanged(update, { ...user });
  }

  /** The title, department or status changed (REST API, here or on another node): tell everyone. */
  metaUpdated(payload: DocumentUpdatedPayload): void {
    // Later document.open messages (joins, resyncs) carry the new title.
    this.title = payload.title;
    this.broadcast(encode('document.updated', payload, { version: this.version, userId: payload.updatedBy }));
  }

  /**
   * The document was deleted: every session gets DOCUMENT_DELETED and is closed with 1008 (do not
   * reconnect). The registry unloads the room (RoomRegistry.documentDeleted).
   */
  closeDeleted(deletion: Deletion | null): void {
    const error = encode('system.error', deletedError(deletion), { version: this.version });
    for (const session of [...this.sessions.values()]) {
      session.deliver(error);
      session.close(CloseCode.POLICY_VIOLATION, 'Document deleted');
    }
  }

  /** Ack to the author, broadcast to the others, in version order; then maybe a snapshot. */
  private onCommitted(entries: CommittedEntry<ChangeOrigin>[]): void {
    const link = this.link;
    // Ours go to the other nodes; those with origin null came from them (or from the store).
    if (link && entries.some((e) => e.origin !== null)) {
      link.committed(entries.filter((e) => e.origin !== null).map((e) => e.change));
    }
    for (const { change, origin } of entries) {
      this.presence.transform(change.op);
      link?.transform(change.op);
      const author = origin?.session;
      const ack = author
        ? encode(
            'document.change',
            { ack: true, changeId: change.changeId, version: change.version },
            {
              version: change.version,
              userId: change.userId,
              sessionId: author.id,
              correlationId: origin.correlationId,
            },
            true,
          )
        : undefined;
      const message = encode(
        'document.change',
        changeBroadcastPayload(change),
        { version: change.version, userId: change.userId, sessionId: author?.id },
        true,
      );
      this.addBroadcast(message, author, ack, { entry: changeEntry(change), version: change.version });
    }
    // The commit group is complete: send it now (same turn) when the room's budget allows.
    this.fanout.schedule(true);
    this.maybeSnapshot();
  }

  /** Stores a snapshot every snapshotEvery versions so loading replays a bounded tail. */
  private maybeSnapshot(): void {
    if (this.snapshotting || this.version - this.lastSnapshotVersion < this.deps.config.snapshotEvery) return;
    void this.snapshot();
  }

  /** Saves the current content as a snapshot (content captured now, stored in the background). */
  async snapshot(): Promise<void> {
    const version = this.version;
    if (version <= this.lastSnapshotVersion) return;
    const content = this.doc.toString();
    this.snapshotting = true;
    const t0 = performance.now();
    try {
      await this.deps.store.saveSnapshot({
        documentId: this.documentId,
        version,
        content,
        createdAt: Date.now(),
      });
      this.lastSnapshotVersion = Math.max(this.lastSnapshotVersion, version);
    } catch (error) {
      // Not fatal: the changes are stored; the next snapshot covers this one.
      this.log.warn({ err: error, version }, 'snapshot failed');
    } finally {
      this.snapshotting = false;
      this.deps.metrics.storageLatency.observe(
        { operation: 'saveSnapshot' },
        (performance.now() - t0) / 1000,
      );
    }
  }
}
