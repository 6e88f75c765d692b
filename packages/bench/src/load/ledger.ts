/**
 * Every change the generator sends, in flat typed arrays indexed by a global change number (the
 * changeId is `b<number in base 36>`): when and by whom it was sent, on which document, whether it
 * falls in the measured window, and how many observers received it.
 *
 * The arrays live in shared memory, so observers on another thread of the generator (see
 * observer-thread.ts) read the send times and count their receipts in the same ledger. Times are
 * `clock()`: milliseconds of the process's monotonic clock, the same in every thread (each
 * thread's `performance.now()` has its own origin).
 */
import { LatencyHistogram } from './histogram.js';

export const CHANGE_ID_PREFIX = 'b';

export function changeIdOf(index: number): string {
  return CHANGE_ID_PREFIX + index.toString(36);
}

/**
 * Now, in milliseconds, comparable across the generator's threads: the process's monotonic clock.
 * (`performance.timeOrigin` is a wall-clock sample taken when each thread starts, so a clock step
 * between two threads' starts would shift every latency of a run.)
 */
export function clock(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The shared memory of a ledger, to open the same ledger on another thread. */
export interface LedgerMemory {
  capacity: number;
  /** Observing clients per document (set before sending starts). */
  observersPerDocument: number;
  /** [0]: changes issued so far. */
  count: SharedArrayBuffer;
  sentAt: SharedArrayBuffer;
  senderOf: SharedArrayBuffer;
  docOf: SharedArrayBuffer;
  receipts: SharedArrayBuffer;
  measured: SharedArrayBuffer;
}

export class ChangeLedger {
  readonly memory: LedgerMemory;
  private readonly count: Int32Array;
  private readonly sentAt: Float64Array;
  private readonly senderOf: Int32Array;
  private readonly docOf: Int32Array;
  private readonly receipts: Int32Array;
  private readonly measuredFlag: Uint8Array;
  /** The latencies this thread's observers recorded (each thread keeps its own; see LatencyHistogram.add). */
  readonly latency = new LatencyHistogram();
  /** Receipts on this thread of change numbers the ledger never issued (a bug somewhere). */
  unknownReceipts = 0;
  /** Receipts on this thread beyond the number of observers (the same change delivered twice). */
  duplicateReceipts = 0;

  /** A new ledger for up to `capacity` changes. */
  static create(observersPerDocument: number, capacity: number): ChangeLedger {
    const shared = (bytes: number) => new SharedArrayBuffer(bytes);
    return new ChangeLedger({
      capacity,
      observersPerDocument,
      count: shared(4),
      sentAt: shared(8 * capacity),
      senderOf: shared(4 * capacity),
      docOf: shared(4 * capacity),
      receipts: shared(4 * capacity),
      measured: shared(capacity),
    });
  }

  /** Opens a ledger created elsewhere (another thread) over its shared memory. */
  constructor(memory: LedgerMemory) {
    this.memory = memory;
    this.count = new Int32Array(memory.count);
    this.sentAt = new Float64Array(memory.sentAt);
    this.senderOf = new Int32Array(memory.senderOf);
    this.docOf = new Int32Array(memory.docOf);
    this.receipts = new Int32Array(memory.receipts);
    this.measuredFlag = new Uint8Array(memory.measured);
  }

  get sent(): number {
    return Atomics.load(this.count, 0);
  }

  /** Registers a change about to be sent (`now` from clock()); returns its number. */
  issue(sender: number, doc: number, now: number, measured: boolean): number {
    const index = this.sent;
    if (index >= this.memory.capacity) {
      throw new Error(`change ledger full (${this.memory.capacity} changes): give it a larger capacity`);
    }
    this.sentAt[index] = now;
    this.senderOf[index] = sender;
    this.docOf[index] = doc;
    this.measuredFlag[index] = measured ? 1 : 0;
    // Published last: another thread that sees the count also sees the entry.
    Atomics.store(this.count, 0, index + 1);
    return index;
  }

  senderOfChange(index: number): number {
    return index >= 0 && index < this.sent ? this.senderOf[index]! : -1;
  }

  /** An observer (not the sender) received change `index` at `now` (clock()). */
  received(index: number, now: number): void {
    if (index >= this.sent || index < 0) {
      this.unknownReceipts++;
      return;
    }
    const receipts = Atomics.add(this.receipts, index, 1) + 1;
    if (receipts > this.memory.observersPerDocument) this.duplicateReceipts++;
    if (this.measuredFlag[index] === 1) this.latency.record(now - this.sentAt[index]!);
  }

  /**
   * Deliveries observers should have seen (each change, by every observer of its document except
   * its sender when the sender observes too) and those they did see, for the changes `included`.
   */
  deliveries(observesSelf: (sender: number) => boolean, included: (index: number) => boolean) {
    let expected = 0;
    let observed = 0;
    let changesMissingDeliveries = 0;
    const count = this.sent;
    for (let i = 0; i < count; i++) {
      if (!included(i)) continue;
      const want = this.memory.observersPerDocument - (observesSelf(this.senderOf[i]!) ? 1 : 0);
      const got = Math.min(Atomics.load(this.receipts, i), want);
      expected += want;
      observed += got;
      if (got < want) changesMissingDeliveries++;
    }
    return { expected, observed, missing: expected - observed, changesMissingDeliveries };
  }
}
