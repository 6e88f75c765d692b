/**
 * Per-session outgoing queue, in the order the messages were produced.
 *
 * - Messages for this session alone (answers, errors, document.open) are strings: everything
 *   queued in the same event-loop turn goes out as one frame.
 * - Room broadcasts arrive as BroadcastSegments shared with the other sessions; the room decides
 *   when they go out (RoomFanout) and each one is written as its own frame, usually the Buffer
 *   every recipient shares.
 *
 * A string queued after a segment seals that segment (the room starts a new one for later
 * broadcasts), so this session's order is kept without copying anything.
 */
import { type BroadcastSegment, joinFrame } from './broadcast-segment.js';

export type Frame = string | Buffer;

export class Outbox {
  private queue: (string | BroadcastSegment)[] = [];
  private scheduled = false;
  /** Highest version among the queued strings (segments carry their own). */
  private queuedVersion = 0;

  /**
   * @param owner the session, as the segments know it (to leave it out or give it its ack)
   * @param sink writes one frame (`compress`: false for a shared frame of a large room)
   * @param sent called after a flush with the highest document version it sent
   */
  constructor(
    private readonly owner: object,
    private readonly sink: (frame: Frame, compress: boolean) => void,
    private readonly sent: (version: number) => void,
  ) {}

  /** Queues a message for this session; it goes out at the end of this event-loop turn. */
  push(json: string, version?: number): void {
    const last = this.queue.at(-1);
    if (last !== undefined && typeof last !== 'string') last.seal();
    this.queue.push(json);
    if (version !== undefined && version > this.queuedVersion) this.queuedVersion = version;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Queues a room broadcast; the room flushes it (RoomFanout), possibly with more added to it. */
  pushSegment(segment: BroadcastSegment): void {
    this.queue.push(segment);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Sends what is queued now (also used right before closing, so nothing is lost). */
  flush(): void {
    this.scheduled = false;
    const items = this.queue;
    if (items.length === 0) return;
    this.queue = [];
    let version = this.queuedVersion;
    this.queuedVersion = 0;
    let run: string[] = [];
    for (const item of items) {
      if (typeof item === 'string') {
        run.push(item);
        continue;
      }
      if (run.length > 0) {
        this.sink(joinFrame(run), true);
        run = [];
      }
      const frame = item.frameFor(this.owner);
      if (frame !== null) this.sink(frame, item.compress);
      if (item.version > version) version = item.version;
    }
    if (run.length > 0) this.sink(joinFrame(run), true);
    if (version > 0) this.sent(version);
  }

  /** Drops what is queued (the connection is gone). */
  clear(): void {
    this.queue = [];
  }
}
