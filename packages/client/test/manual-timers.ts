/** A deterministic clock for unit tests: time moves only when the test advances it. */
import type { TimerHandle, Timers } from '../src/timers.js';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export class ManualTimers implements Timers {
  #now = 0;
  #nextId = 1;
  #pending: Pending[] = [];
  randomValue = 0.5;

  now(): number {
    return this.#now;
  }

  random(): number {
    return this.randomValue;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), callback };
    this.#pending.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#pending = this.#pending.filter((t) => t.id !== handle);
  }

  /** Runs every timer due up to now + ms, in time order (timers scheduled meanwhile included). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const next = this.#pending.reduce<Pending | null>(
        (best, t) =>
          t.at <= end && (best === null || t.at < best.at || (t.at === best.at && t.id < best.id)) ? t : best,
        null,
      );
      if (next === null) break;
      this.#pending = this.#pending.filter((t) => t !== next);
      this.#now = next.at;
      next.callback();
    }
    this.#now = end;
  }
}
