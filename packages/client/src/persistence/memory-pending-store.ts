/**
 * A PendingStore in memory: for tests and for Node, where there is no IndexedDB. Clients sharing
 * one instance behave like tabs of one browser sharing IndexedDB and Web Locks.
 */
import type { PendingClaim, PendingRecord, PendingStore } from './pending-store.js';

export class MemoryPendingStore implements PendingStore {
  readonly #records = new Map<string, PendingRecord>();
  readonly #claimed = new Set<string>();

  async load(userId: string, documentId: string): Promise<PendingRecord[]> {
    return [...this.#records.values()].filter((r) => r.userId === userId && r.documentId === documentId);
  }

  async claim(recordId: string): Promise<PendingClaim | null> {
    if (this.#claimed.has(recordId)) return null;
    this.#claimed.add(recordId);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#claimed.delete(recordId);
      },
    };
  }

  async save(record: PendingRecord): Promise<void> {
    this.#records.set(record.id, structuredClone(record));
  }

  async clear(recordId: string): Promise<void> {
    this.#records.delete(recordId);
  }

  /** Every record (tests). */
  get records(): PendingRecord[] {
    return [...this.#records.values()];
  }

  /** Whether a live client holds the record (tests). */
  isClaimed(recordId: string): boolean {
    return this.#claimed.has(recordId);
  }
}
