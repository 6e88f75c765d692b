/**
 * When to try again after a connection is lost: exponential backoff with optional jitter, capped,
 * and a limit on consecutive failed attempts (the design's ReconnectionManager, without the I/O).
 */
export interface ReconnectOptions {
  /** Delay before the first retry, ms. Default 1000. */
  initialDelayMs?: number;
  /** Cap on the delay, ms. Default 30000. */
  maxDelayMs?: number;
  /** Consecutive failed attempts before giving up (status 'offline'). Default 10. */
  maxAttempts?: number;
  /**
   * Randomise delays ("equal jitter": half fixed, half random) so that clients dropped by the same
   * server restart do not all come back in the same millisecond. Default true.
   */
  jitter?: boolean;
}

export const RECONNECT_DEFAULTS: Required<ReconnectOptions> = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  maxAttempts: 10,
  jitter: true,
};

export class ReconnectionPolicy {
  readonly options: Required<ReconnectOptions>;
  #failures = 0;

  constructor(
    options: ReconnectOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.options = { ...RECONNECT_DEFAULTS, ...options };
  }

  /** Consecutive failures since the last successful connection. */
  get failures(): number {
    return this.#failures;
  }

  get exhausted(): boolean {
    return this.#failures >= this.options.maxAttempts;
  }

  /** Records a failed or lost connection and returns how long to wait before the next attempt. */
  fail(): number {
    const delay = this.delayFor(this.#failures);
    this.#failures++;
    return delay;
  }

  /** The delay before retry number `attempt` (0-based). */
  delayFor(attempt: number): number {
    const { initialDelayMs, maxDelayMs, jitter } = this.options;
    const base = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt, 30));
    return jitter ? Math.round(base / 2 + (this.random() * base) / 2) : base;
  }

  /** A connection worked: the next loss starts again from the initial delay. */
  succeed(): void {
    this.#failures = 0;
  }
}
