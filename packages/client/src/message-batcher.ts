/**
 * Outgoing message batching and pacing (the design's MessageBatcher, plus what the server's rate
 * limit needs). The server allows 10 messages/s and 300/min per session, and a batched frame counts
 * once, so the batcher:
 *
 * - groups messages into one frame: a frame goes out `maxDelayMs` after the first queued message,
 *   or as soon as `maxMessages` are queued;
 * - coalesces keyed messages: a newer cursor replaces the queued one instead of queueing both;
 * - paces frames: two frames are at least `minIntervalMs` apart (default 250 ms: at most 4 frames/s,
 *   240/min, safely under both limits whatever the user does);
 * - can be paused (RATE_LIMITED with retryAfter).
 *
 * `collect` is asked for last-moment messages when a frame is built; the client uses it to take the
 * local edits composed so far, so a burst of typing leaves as one change.
 */
import { TimerSlot, type Timers } from './timers.js';

export interface BatchOptions {
  /** Send a frame as soon as this many messages are queued. Default 10. */
  maxMessages?: number;
  /** Wait at most this long after the first queued message before sending, ms. Default 50. */
  maxDelayMs?: number;
  /** Minimum time between two frames, ms. Default 250. */
  minIntervalMs?: number;
}

export const BATCH_DEFAULTS: Required<BatchOptions> = { maxMessages: 10, maxDelayMs: 50, minIntervalMs: 250 };

interface Queued<M> {
  readonly message: M;
  readonly key: string | undefined;
}

export class MessageBatcher<M> {
  readonly options: Required<BatchOptions>;
  #queue: Queued<M>[] = [];
  #requested = false;
  #lastFlushAt = Number.NEGATIVE_INFINITY;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #firstQueuedAt: number | null = null;
  readonly #timer: TimerSlot;

  constructor(
    options: BatchOptions,
    private readonly timers: Timers,
    private readonly send: (messages: M[]) => void,
    private readonly collect: () => M[] = () => [],
  ) {
    this.options = { ...BATCH_DEFAULTS, ...options };
    this.#timer = new TimerSlot(timers);
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Queues a message; a message with a `key` replaces a queued one with the same key (in place). */
  enqueue(message: M, key?: string): void {
    const index = key === undefined ? -1 : this.#queue.findIndex((q) => q.key === key);
    if (index >= 0) this.#queue[index] = { message, key };
    else this.#queue.push({ message, key });
    this.#firstQueuedAt ??= this.timers.now();
    this.#schedule();
  }

  /** Asks for a frame even if nothing is queued, because `collect` has something to give. */
  request(): void {
    this.#requested = true;
    this.#firstQueuedAt ??= this.timers.now();
    this.#schedule();
  }

  /** Sends nothing before `time` (ms, timers.now() clock). */
  pauseUntil(time: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, time);
    if (this.#timer.active) {
      this.#timer.stop();
      this.#schedule();
    }
  }

  /** Drops everything queued and forgets pacing (a new connection has a fresh rate budget). */
  reset(): void {
    this.#timer.stop();
    this.#queue = [];
    this.#requested = false;
    this.#firstQueuedAt = null;
    this.#lastFlushAt = Number.NEGATIVE_INFINITY;
    this.#pausedUntil = Number.NEGATIVE_INFINITY;
  }

  #schedule(): void {
    if (this.#firstQueuedAt === null) return;
    const full = this.#queue.length >= this.options.maxMessages;
    // A pending timer is kept, unless the queue just filled up and may go sooner than planned.
    if (this.#timer.active && !full) return;
    const now = this.timers.now();
    const due = Math.max(
      full ? now : this.#firstQueuedAt + this.options.maxDelayMs,
      this.#lastFlushAt + this.options.minIntervalMs,
      this.#pausedUntil,
    );
    this.#timer.start(Math.max(0, due - now), () => this.#flush());
  }

  #flush(): void {
    const collected = this.#requested || this.#queue.length > 0 ? this.collect() : [];
    this.#requested = false;
    const room = Math.max(0, this.options.maxMessages - collected.length);
    const taken = this.#queue.splice(0, room).map((q) => q.message);
    const messages = [...collected, ...taken];
    this.#firstQueuedAt = this.#queue.length > 0 ? this.timers.now() : null;
    if (messages.length > 0) {
      this.#lastFlushAt = this.timers.now();
      this.send(messages);
    }
    this.#schedule();
  }
}
