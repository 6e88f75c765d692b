/**
 * Detects dead connections. A TCP connection can die without a close event (laptop sleep, NAT
 * timeout); the only proof of life is traffic. Every `intervalMs` we send `system.heartbeat`; if
 * nothing at all arrives within `timeoutMs` after it, the connection is declared dead.
 */
import { TimerSlot, type Timers } from './timers.js';

export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
  send: (t: number) => void;
  onDead: () => void;
}

export class Heartbeat {
  readonly #interval: TimerSlot;
  readonly #deadline: TimerSlot;

  constructor(
    private readonly options: HeartbeatOptions,
    private readonly timers: Timers,
  ) {
    this.#interval = new TimerSlot(timers);
    this.#deadline = new TimerSlot(timers);
  }

  start(): void {
    this.#schedule();
  }

  /** Any frame from the server proves the connection is alive. */
  received(): void {
    this.#deadline.stop();
  }

  stop(): void {
    this.#interval.stop();
    this.#deadline.stop();
  }

  #schedule(): void {
    this.#interval.start(this.options.intervalMs, () => {
      this.options.send(this.timers.now());
      if (!this.#deadline.active) this.#deadline.start(this.options.timeoutMs, () => this.#dead());
      this.#schedule();
    });
  }

  #dead(): void {
    this.stop();
    this.options.onDead();
  }
}
