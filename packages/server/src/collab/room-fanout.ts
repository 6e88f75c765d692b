/**
 * How a room's broadcasts reach its sessions: appended to one shared BroadcastSegment, which every
 * session's outbox holds, and written out together.
 *
 * When: writing a frame costs about the same for every recipient, so a room of N sessions pays N
 * writes per flush. A small room flushes at once (right after a commit group, or at the end of the
 * event-loop turn); a large one flushes at most every N / framesPerSecond seconds, and what was
 * committed meanwhile goes out in the same frame. With the default budget (25,000 frames a
 * second, about 15% of a core in system calls on our test VM) 25 sessions wait at most 1 ms, 100
 * at most 4 ms and 1,000 at most 40 ms: the server keeps up with many editors instead of spending
 * its core on small writes and falling behind (docs/benchmarks.md, step 9).
 *
 * Compression: ws deflates each send on its own, so a frame shared by N sessions that negotiated
 * permessage-deflate (every browser does) would be compressed N times: measured, 100 browser-like
 * editors saturated the server's core. Rooms above COMPRESS_MAX_SESSIONS send their shared frames
 * uncompressed (a few KB a second per recipient); messages for one session (document.open with
 * the whole text, sync responses) are still compressed.
 */
import { BroadcastSegment } from './broadcast-segment.js';
import type { Session } from './session.js';
import type { OutgoingMessage } from './wire.js';

/** Largest room whose shared broadcast frames are still compressed for deflate clients. */
export const COMPRESS_MAX_SESSIONS = 8;

export class RoomFanout {
  private open: BroadcastSegment | null = null;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private lastFlush = Number.NEGATIVE_INFINITY;
  /** Something was added since the last flush (possibly in segments already cut off). */
  private unsent = false;

  constructor(
    private readonly sessions: ReadonlyMap<string, Session>,
    /** Frames a room may write per second in all; 0 or Infinity: flush at once, always. */
    private readonly framesPerSecond: number,
  ) {}

  /**
   * Adds a message for every session but `except`; `replacement` is what `except` gets in its
   * place (the ack of its own change), in the same position.
   */
  add(
    message: OutgoingMessage,
    except?: Session,
    replacement?: OutgoingMessage,
    change?: { entry: string; version: number },
  ): void {
    let segment = this.open;
    if (segment === null || segment.sealed) {
      segment = new BroadcastSegment(this.sessions.size <= COMPRESS_MAX_SESSIONS);
      this.open = segment;
      for (const session of this.sessions.values()) session.enqueueSegment(segment);
    }
    segment.add(message.json, message.version, except, replacement?.json ?? null, change);
    this.unsent = true;
    // A frame clients accept has at most MAX_BATCH_LENGTH messages and MAX_FRAME_BYTES: later
    // messages go in the next segment (its own frame, sent in the same flush).
    if (segment.full) this.cut();
  }

  /** Later messages start a new segment (a session joined: it must not get what predates it). */
  cut(): void {
    this.open?.seal();
    this.open = null;
  }

  /**
   * Sends what was added, now if the room's budget allows it (`now`: from the commit path, so a
   * small room sends in the same turn), else when it does.
   */
  schedule(now: boolean): void {
    if (!this.unsent || this.timer !== null) return;
    const wait = this.lastFlush + this.intervalMs() - performance.now();
    if (wait >= 1) {
      this.timer = setTimeout(() => this.flush(), wait);
    } else if (now) {
      this.flush();
    } else {
      this.immediate ??= setImmediate(() => this.flush());
    }
  }

  /** Writes every session's queued frames now (and cancels the pending write, if any). */
  flush(): void {
    this.cancel();
    this.cut();
    this.unsent = false;
    this.lastFlush = performance.now();
    // One write per recipient: in a room of 1,000 the last one goes out ~10 ms after the first.
    // Start at a random session each time, so nobody is always the last to hear.
    const sessions = [...this.sessions.values()];
    const first = Math.floor(Math.random() * sessions.length);
    for (let i = first; i < sessions.length; i++) sessions[i]!.flush();
    for (let i = 0; i < first; i++) sessions[i]!.flush();
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  private intervalMs(): number {
    if (!(this.framesPerSecond > 0) || !Number.isFinite(this.framesPerSecond)) return 0;
    return (this.sessions.size * 1000) / this.framesPerSecond;
  }
}
