/**
 * Puts changes that arrive from other nodes back into version order. Pub/sub may deliver a
 * node's committed changes late, twice, out of order across publishers, or not at all; the
 * store has them all. A room keeps one VersionOrder per document:
 *
 *   const ready = order.accept(changesFromMessage);   // apply these, in order
 *   const gap = order.gap();                           // non-null: read it from the store
 *   if (gap) order.accept(await store.getChanges(id, gap.fromVersion, gap.toVersion));
 *
 * accept() returns only the changes that extend the history without a hole: version v is
 * handed out after v - 1 and exactly once. Changes already delivered are dropped; changes past a
 * hole wait (bounded) until the hole is filled. This is pure bookkeeping: no I/O, no clock.
 */

export interface Versioned {
  version: number;
}

export interface VersionGap {
  /** Read changes with fromVersion < version <= toVersion (store.getChanges bounds). */
  fromVersion: number;
  toVersion: number;
}

export class VersionOrder<C extends Versioned> {
  #version: number;
  readonly #waiting = new Map<number, C>();
  readonly #maxWaiting: number;

  /**
   * @param version the version the local copy is at (every change up to it applied).
   * @param maxWaiting changes kept while waiting for a hole to be filled; beyond that the
   *   furthest ones are dropped (the store still has them: gap() will ask for them again).
   */
  constructor(version: number, maxWaiting = 10_000) {
    if (!Number.isSafeInteger(version) || version < 0) {
      throw new RangeError(`version must be a non-negative integer, got ${version}`);
    }
    this.#version = version;
    this.#maxWaiting = maxWaiting;
  }

  /** The version every delivered change adds up to. */
  get version(): number {
    return this.#version;
  }

  /** Highest version known to exist (delivered or waiting). */
  get knownVersion(): number {
    let highest = this.#version;
    for (const version of this.#waiting.keys()) highest = Math.max(highest, version);
    return highest;
  }

  /**
   * Takes changes in any order (duplicates and old ones are ignored) and returns those that can
   * be applied now, in version order.
   */
  accept(changes: readonly C[]): C[] {
    for (const change of changes) {
      if (!Number.isSafeInteger(change.version) || change.version <= this.#version) continue;
      if (!this.#waiting.has(change.version)) this.#waiting.set(change.version, change);
    }
    const ready: C[] = [];
    for (let next = this.#waiting.get(this.#version + 1); next; next = this.#waiting.get(this.#version + 1)) {
      this.#waiting.delete(next.version);
      ready.push(next);
      this.#version = next.version;
    }
    this.#trim();
    return ready;
  }

  /**
   * The hole before the first waiting change, or null when nothing waits. A store read of this
   * range followed by accept() delivers everything known so far.
   */
  gap(): VersionGap | null {
    if (this.#waiting.size === 0) return null;
    return { fromVersion: this.#version, toVersion: Math.min(...this.#waiting.keys()) - 1 };
  }

  /**
   * Someone said the document is at `version` (a reconnect, a 'meta' message, a commit result)
   * without sending the changes: returns the range to read, or null when nothing is missing.
   */
  behind(version: number): VersionGap | null {
    return version > this.#version ? { fromVersion: this.#version, toVersion: version } : null;
  }

  #trim(): void {
    if (this.#waiting.size <= this.#maxWaiting) return;
    const furthestFirst = [...this.#waiting.keys()].sort((a, b) => b - a);
    for (const version of furthestFirst.slice(0, this.#waiting.size - this.#maxWaiting)) {
      this.#waiting.delete(version);
    }
  }
}
