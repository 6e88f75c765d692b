/**
 * Per-session outgoing queue: everything produced for one session in the same event-loop turn
 * goes out as one frame (a JSON array when there is more than one message), which keeps frame
 * counts low when a group commit acks and broadcasts several changes at once.
 */
export class Outbox {
  private queue: string[] = [];
  private scheduled = false;

  constructor(private readonly sink: (frame: string, count: number) => void) {}

  push(json: string): void {
    this.queue.push(json);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
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
    this.sink(items.length === 1 ? items[0]! : `[${items.join(',')}]`, items.length);
  }

  /** Drops what is queued (the connection is gone). */
  clear(): void {
    this.queue = [];
  }
}
