/**
 * A latency histogram with fixed 0.1 ms buckets up to 60 s: constant memory whatever the number
 * of samples (millions of deliveries), percentiles exact to 0.1 ms, and the true maximum kept.
 */
const BUCKET_MS = 0.1;
const MAX_MS = 60_000;

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** A histogram's samples, as another thread sends them (structured-cloneable). */
export interface HistogramState {
  buckets: Uint32Array;
  total: number;
  sum: number;
  maxMs: number;
}

export class LatencyHistogram {
  private readonly buckets = new Uint32Array(MAX_MS / BUCKET_MS + 1);
  private total = 0;
  private sum = 0;
  private maxMs = 0;

  record(ms: number): void {
    const value = Math.max(ms, 0);
    const index = Math.min(this.buckets.length - 1, Math.floor(value / BUCKET_MS));
    this.buckets[index]!++;
    this.total++;
    this.sum += value;
    if (value > this.maxMs) this.maxMs = value;
  }

  /** This histogram's samples, to send to another thread. */
  state(): HistogramState {
    return { buckets: this.buckets, total: this.total, sum: this.sum, maxMs: this.maxMs };
  }

  /** Adds another histogram's samples (e.g. those of the observers on another thread). */
  add(other: HistogramState): void {
    for (let i = 0; i < this.buckets.length; i++) this.buckets[i]! += other.buckets[i]!;
    this.total += other.total;
    this.sum += other.sum;
    if (other.maxMs > this.maxMs) this.maxMs = other.maxMs;
  }

  get count(): number {
    return this.total;
  }

  /** The smallest latency (bucket upper bound) at or below which `p` percent of samples fall. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return Math.min((i + 1) * BUCKET_MS, this.maxMs);
    }
    return this.maxMs;
  }

  summary(): LatencySummary {
    return {
      count: this.total,
      p50: this.percentile(50),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: this.maxMs,
      mean: this.total === 0 ? 0 : this.sum / this.total,
    };
  }
}
