/**
 * Every change the generator sends, in flat typed arrays indexed by a global change number (the
 * changeId is `b<number in base 36>`): when and by whom it was sent, on which document, whether it
 * falls in the measured window, and how many observers received it. All clients live in this one
 * process, so one clock (performance.now) times send and receipt.
 */
import { LatencyHistogram } from './histogram.js';

class GrowableArray<T extends Float64Array | Int32Array | Uint16Array | Uint8Array> {
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}

  ensure(index: number): void {
    if (index < this.data.length) return;
    const next = this.make(Math.max(this.data.length * 2, index + 1));
    next.set(this.data);
    this.data = next;
  }
}

export const CHANGE_ID_PREFIX = 'b';

export function changeIdOf(index: number): string {
  return CHANGE_ID_PREFIX + index.toString(36);
}

export class ChangeLedger {
  private readonly sentAt = new GrowableArray(new Float64Array(1024), (n) => new Float64Array(n));
  private readonly senderOf = new GrowableArray(new Int32Array(1024), (n) => new Int32Array(n));
  private readonly docOf = new GrowableArray(new Int32Array(1024), (n) => new Int32Array(n));
  private readonly receipts = new GrowableArray(new Uint16Array(1024), (n) => new Uint16Array(n));
  private readonly measuredFlag = new GrowableArray(new Uint8Array(1024), (n) => new Uint8Array(n));
  readonly latency = new LatencyHistogram();
  private count = 0;
  /** Receipts of change numbers this ledger never issued (a bug somewhere). */
  unknownReceipts = 0;
  /** Receipts beyond the number of observers (the same change delivered twice). */
  duplicateReceipts = 0;

  /** Observing clients per document (set before sending starts). */
  constructor(private readonly observersOfDoc: (doc: number) => number) {}

  get sent(): number {
    return this.count;
  }

  /** Registers a change about to be sent; returns its number. */
  issue(sender: number, doc: number, now: number, measured: boolean): number {
    const index = this.count++;
    for (const array of [this.sentAt, this.senderOf, this.docOf, this.receipts, this.measuredFlag]) {
      array.ensure(index);
    }
    this.sentAt.data[index] = now;
    this.senderOf.data[index] = sender;
    this.docOf.data[index] = doc;
    this.measuredFlag.data[index] = measured ? 1 : 0;
    return index;
  }

  senderOfChange(index: number): number {
    return index < this.count ? this.senderOf.data[index]! : -1;
  }

  /** An observer (not the sender) received change `index` at `now`. */
  received(index: number, now: number): void {
    if (index >= this.count || index < 0) {
      this.unknownReceipts++;
      return;
    }
    const receipts = ++this.receipts.data[index]!;
    if (receipts > this.observersOfDoc(this.docOf.data[index]!)) this.duplicateReceipts++;
    if (this.measuredFlag.data[index] === 1) this.latency.record(now - this.sentAt.data[index]!);
  }

  /**
   * Deliveries observers should have seen (each change, by every observer of its document except
   * its sender when the sender observes too) and those they did see, for the changes `included`.
   */
  deliveries(observesSelf: (sender: number) => boolean, included: (index: number) => boolean) {
    let expected = 0;
    let observed = 0;
    let changesMissingDeliveries = 0;
    for (let i = 0; i < this.count; i++) {
      if (!included(i)) continue;
      const want = this.observersOfDoc(this.docOf.data[i]!) - (observesSelf(this.senderOf.data[i]!) ? 1 : 0);
      const got = Math.min(this.receipts.data[i]!, want);
      expected += want;
      observed += got;
      if (got < want) changesMissingDeliveries++;
    }
    return { expected, observed, missing: expected - observed, changesMissingDeliveries };
  }

  isMeasured(index: number): boolean {
    return this.measuredFlag.data[index] === 1;
  }
}
