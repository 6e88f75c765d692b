/**
 * Open documents on this node. A room is loaded on first use, shared by every session of the
 * document, and unloaded a short grace period after its last user left (so a reload or a quick
 * reconnect does not reread storage). Users are counted with explicit pins, taken before the
 * upgrade completes, so a room is never unloaded between "acquired" and "joined".
 */
import type { DocumentUpdatedPayload } from '@jd-collab/protocol';
import type { Cluster } from './cluster.js';
import type { RoomSync } from './cluster-sync.js';
import type { Deletion } from './deletion.js';
import { DocumentRoom, type RoomDeps } from './document-room.js';

/** How long an unused room stays loaded. */
const DEFAULT_GRACE_MS = 5_000;

export class RoomRegistry {
  private readonly rooms = new Map<string, DocumentRoom>();
  private readonly loading = new Map<string, Promise<DocumentRoom | null>>();
  private readonly pins = new Map<DocumentRoom, number>();
  private readonly unloadTimers = new Map<DocumentRoom, NodeJS.Timeout>();
  private readonly links = new Map<DocumentRoom, RoomSync>();

  constructor(
    private readonly deps: RoomDeps,
    private readonly graceMs = DEFAULT_GRACE_MS,
    /** Other nodes serving the same documents (null: this node is alone). */
    private readonly cluster: Cluster | null = null,
  ) {}

  get size(): number {
    return this.rooms.size;
  }

  get(documentId: string): DocumentRoom | undefined {
    return this.rooms.get(documentId);
  }

  all(): DocumentRoom[] {
    return [...this.rooms.values()];
  }

  /** The open room of a document (loading it if needed), pinned; null when the document does not exist. */
  async acquire(documentId: string): Promise<DocumentRoom | null> {
    const room = this.rooms.get(documentId) ?? (await this.load(documentId));
    if (room) this.pin(room);
    return room;
  }

  /** Drops one pin; the room unloads after the grace period when nobody holds it. */
  release(room: DocumentRoom): void {
    const count = (this.pins.get(room) ?? 1) - 1;
    if (count > 0) {
      this.pins.set(room, count);
      return;
    }
    this.pins.delete(room);
    if (this.rooms.get(room.documentId) !== room || this.unloadTimers.has(room)) return;
    const timer = setTimeout(() => void this.unload(room), this.graceMs);
    timer.unref();
    this.unloadTimers.set(room, timer);
  }

  /** The document's metadata changed: the open room (if any) tells its sessions. */
  documentUpdated(payload: DocumentUpdatedPayload): void {
    this.rooms.get(payload.documentId)?.metaUpdated(payload);
  }

  /**
   * The document was deleted: its sessions are told and closed, and the room is dropped at once
   * (not after the grace period), so a new connection reads the store and is refused.
   */
  documentDeleted(documentId: string, deletion: Deletion | null): void {
    const room = this.rooms.get(documentId);
    if (!room) return;
    const timer = this.unloadTimers.get(room);
    if (timer) clearTimeout(timer);
    this.unloadTimers.delete(room);
    this.forget(room);
    room.closeDeleted(deletion);
  }

  /** Waits for in-flight commits of every room and stores a final snapshot of each. */
  async closeAll(): Promise<void> {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    const rooms = this.all();
    await Promise.all(rooms.map((room) => room.pipeline.idle().then(() => room.snapshot())));
    for (const room of rooms) this.forget(room);
  }

  private pin(room: DocumentRoom): void {
    this.pins.set(room, (this.pins.get(room) ?? 0) + 1);
    const timer = this.unloadTimers.get(room);
    if (timer) {
      clearTimeout(timer);
      this.unloadTimers.delete(room);
    }
  }

  private load(documentId: string): Promise<DocumentRoom | null> {
    let pending = this.loading.get(documentId);
    if (!pending) {
      pending = this.open(documentId)
        .then((room) => {
          if (room) {
            this.rooms.set(documentId, room);
            this.deps.metrics.documentsOpen.inc();
          }
          return room;
        })
        .finally(() => this.loading.delete(documentId));
      this.loading.set(documentId, pending);
    }
    return pending;
  }

  /** Subscribes first, then reads the store: a change committed elsewhere in between is not missed. */
  private async open(documentId: string): Promise<DocumentRoom | null> {
    const link = await this.cluster?.open(documentId);
    let room: DocumentRoom | null = null;
    try {
      room = await DocumentRoom.load(documentId, this.deps);
    } finally {
      if (link && !room) this.cluster?.release(link);
    }
    if (room && link) {
      link.attach(room);
      this.links.set(room, link);
    }
    return room;
  }

  private async unload(room: DocumentRoom): Promise<void> {
    this.unloadTimers.delete(room);
    await room.pipeline.idle();
    // Checked and removed synchronously: nobody can acquire this room after the check.
    if (this.pins.has(room) || this.unloadTimers.has(room) || this.rooms.get(room.documentId) !== room)
      return;
    this.forget(room);
    await room.snapshot();
  }

  private forget(room: DocumentRoom): void {
    if (this.rooms.get(room.documentId) !== room) return;
    this.rooms.delete(room.documentId);
    this.pins.delete(room);
    this.deps.metrics.documentsOpen.dec();
    room.dispose();
    const link = this.links.get(room);
    this.links.delete(room);
    if (link) this.cluster?.release(link);
  }
}
