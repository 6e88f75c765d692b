/**
 * Per-session sliding-window rate limiter (one instance per connection).
 *
 * Two windows are enforced at once: `perSecond` frames in any 1 s and `perMinute` frames in any
 * 60 s. A frame counts once, whether it holds one envelope or a batch. The clock is injected so
 * the limiter can be tested without timers.
 *
 * Abuse: a peer that keeps sending while refused is not slowed down by RATE_LIMITED errors
 * alone, so when the attempts (accepted + refused) in a window exceed `abuseFactor` times that
 * window's limit, the check reports `abusive` and the caller closes the connection (1008).
 */

export interface RateLimitOptions {
  perSecond: number;
  perMinute: number;
  /** Attempts above abuseFactor × limit within one window mark the peer as abusive. Default 3. */
  abuseFactor?: number;
}

export type RateDecision =
  | { allowed: true }
  /** retryAfter: ms until a frame would be accepted again. */
  | { allowed: false; retryAfter: number; abusive: boolean };

const SECOND = 1_000;
const MINUTE = 60_000;

/** Timestamps in ascending order; old ones are dropped from the front in amortised O(1). */
class TimeWindow {
  private items: number[] = [];
  private head = 0;

  constructor(private readonly spanMs: number) {}

  prune(now: number): void {
    while (this.head < this.items.length && this.items[this.head]! <= now - this.spanMs) this.head++;
    // Compact once the dead prefix dominates, so memory stays bounded by the live entries.
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** Number of live entries newer than `now - spanMs` (call prune first). */
  countSince(since: number): number {
    let n = 0;
    for (let i = this.items.length - 1; i >= this.head && this.items[i]! > since; i--) n++;
    return n;
  }

  /** The k-th most recent live entry (k = 1 is the newest). */
  recent(k: number): number | undefined {
    const i = this.items.length - k;
    return i >= this.head ? this.items[i] : undefined;
  }

  push(t: number): void {
    this.items.push(t);
  }
}

export class RateLimiter {
  private readonly accepted = new TimeWindow(MINUTE);
  private readonly attempts = new TimeWindow(MINUTE);
  private readonly abuseFactor: number;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.abuseFactor = options.abuseFactor ?? 3;
  }

  /** Records one inbound frame and decides whether it may be processed. */
  check(): RateDecision {
    const now = this.now();
    this.accepted.prune(now);
    this.attempts.prune(now);
    this.attempts.push(now);

    const inSecond = this.accepted.countSince(now - SECOND);
    const inMinute = this.accepted.size;
    let retryAfter = 0;
    if (inSecond >= this.options.perSecond) {
      // The window frees up when the oldest of the last `perSecond` accepted frames expires.
      const oldest = this.accepted.recent(this.options.perSecond) ?? now;
      retryAfter = Math.max(retryAfter, oldest + SECOND - now);
    }
    if (inMinute >= this.options.perMinute) {
      const oldest = this.accepted.recent(this.options.perMinute) ?? now;
      retryAfter = Math.max(retryAfter, oldest + MINUTE - now);
    }
    if (retryAfter === 0) {
      this.accepted.push(now);
      return { allowed: true };
    }

    const attemptsInSecond = this.attempts.countSince(now - SECOND);
    const abusive =
      attemptsInSecond > this.abuseFactor * this.options.perSecond ||
      this.attempts.size > this.abuseFactor * this.options.perMinute;
    return { allowed: false, retryAfter: Math.max(1, Math.ceil(retryAfter)), abusive };
  }
}
