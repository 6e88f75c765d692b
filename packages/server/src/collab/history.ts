/**
 * The recent committed changes of one open document, kept in memory so that a change made at a
 * slightly old base version can be transformed without reading storage, and so that a retried
 * changeId is recognised without a query.
 *
 * Invariant: `changes` holds consecutive versions ending at `version`; every change with a
 * version above `oldestBase` is in memory (and its id in `ids`).
 */
import type { StoredChange } from '../storage/types.js';

export class ChangeHistory {
  private changes: StoredChange[] = [];
  private readonly ids = new Map<string, number>();
  private latest: number;

  constructor(
    private readonly limit: number,
    version: number,
    tail: readonly StoredChange[] = [],
  ) {
    this.latest = tail.length > 0 ? tail[0]!.version - 1 : version;
    this.append(tail);
    this.latest = Math.max(this.latest, version);
  }

  /** Latest committed version. */
  get version(): number {
    return this.latest;
  }

  /** The lowest base version whose later changes are all in memory. */
  get oldestBase(): number {
    const first = this.changes[0];
    return first ? first.version - 1 : this.latest;
  }

  /** The version a changeId was committed at, when it is among the changes in memory. */
  versionOf(changeId: string): number | undefined {
    return this.ids.get(changeId);
  }

  /** The changes with version > base, oldest first; null when some are no longer in memory. */
  since(base: number): StoredChange[] | null {
    if (base < this.oldestBase || base > this.latest) return null;
    return this.changes.slice(this.changes.length - (this.latest - base));
  }

  /** Appends committed changes (consecutive, starting at version + 1) and trims to the limit. */
  append(changes: readonly StoredChange[]): void {
    for (const change of changes) {
      if (change.version !== this.latest + 1) {
        throw new Error(`history gap: expected version ${this.latest + 1}, got ${change.version}`);
      }
      this.changes.push(change);
      this.ids.set(change.changeId, change.version);
      this.latest = change.version;
    }
    const excess = this.changes.length - this.limit;
    if (excess > 0) {
      for (const old of this.changes.slice(0, excess)) this.ids.delete(old.changeId);
      this.changes = this.changes.slice(excess);
    }
  }
}
