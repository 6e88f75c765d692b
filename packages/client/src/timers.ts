/**
 * The clock and timers the client uses, injectable so tests can drive time deterministically
 * (and so nothing here depends on Node's or the browser's timer return types).
 */
export type TimerHandle = unknown;

export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  now(): number;
  /** Uniform in [0, 1); used for backoff jitter. */
  random(): number;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  now: () => Date.now(),
  random: () => Math.random(),
};

/** One resettable timer slot: starting it again replaces the pending callback. */
export class TimerSlot {
  #handle: TimerHandle | null = null;

  constructor(private readonly timers: Timers) {}

  get active(): boolean {
    return this.#handle !== null;
  }

  start(ms: number, callback: () => void): void {
    this.stop();
    this.#handle = this.timers.setTimeout(() => {
      this.#handle = null;
      callback();
    }, ms);
  }

  stop(): void {
    if (this.#handle !== null) this.timers.clearTimeout(this.#handle);
    this.#handle = null;
  }
}
