/**
 * Changes the server refused: conflict.detected (in a cluster, after losing the race for the
 * document too often) or a system.error naming the change. A refused change is never delivered,
 * so its deliveries are not "missing" and a run need not wait for them to drain.
 */
import type { SenderTally } from './bench-client.js';

export class Refusals {
  /** Change numbers (ledger indexes) the server refused. */
  readonly changes = new Set<number>();

  /** A sender finds its refusals while it looks for its acks (no scan of every frame here). */
  watch(client: SenderTally): void {
    client.onRefused = (index) => this.changes.add(index);
  }

  get count(): number {
    return this.changes.size;
  }
}
