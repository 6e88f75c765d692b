/**
 * The recent committed changes of one open document, kept in memory so that a change made at a
 * slightly old base version can be transformed without reading storage, and so that a retried
 * changeId is recognised without a query (by author and changeId: see storage/types.ts).
 *
 * How much: at least the last `limit` changes, and also every change younger than `retainMs`
 * (up to MAX_RETAINED). A count alone fails exactly when it matters: under heavy load clients
 * lag further behind, and once their bases fall out of a fixed-size history every change needs a
 * storage read, which slows the server further (measured: docs/benchmarks.md, step 5).
 *
 * Invariant: the changes in memory are consecutive versions ending at `version`; every change with
 * a version above `oldestBase` is in memory (and its id in `ids`).
 */
import { codePointLength, type Op, singleInsert } from '@jd-collab/ot';
import type { StoredChange } from '../storage/types.js';
import { authorKey } from '../storage/validate.js';

/** Hard bound on the changes one document keeps in memory, whatever their age. */
export const MAX_RETAINED = 100_000;

export interface HistoryRetention {
  /** Always keep at least this many recent changes. */
  limit: number;
  /** Also keep the changes committed in the last `retainMs` milliseconds (default 0). */
  retainMs?: number;
  now?: () => number;
}

/** The ops after a base version, in place: `ops[from..]`, with their single-insert shapes. */
export interface LaterOps {
  ops: readonly Op[];
  from: number;
  /** Per op: the insert's position when the op is one insert, else -1. */
  insertAt: readonly number[];
  /** Per op: the insert's length (code points) when the op is one insert. */
  insertLength: readonly number[];
  /** Per op: its author's user id (ties between inserts go by author: ot tie-break.ts). */
  authors: readonly string[];
}

export class ChangeHistory {
  /** changes[start..] are in memory; the prefix is dropped lazily (see trim). */
  private changes: StoredChange[] = [];
  /** The ops of `changes`, index for index (rebasing reads them without copying). */
  private ops: Op[] = [];
  /**
   * Index for index, when the op is one insert (what typing produces): where (code points) and how
   * long; at -1 otherwise. Rebasing a typed insert over these is integer arithmetic (rebase.ts).
   */
  private insAt: number[] = [];
  private insLen: number[] = [];
  private authors: string[] = [];
  private start = 0;
  private readonly ids = new Map<string, number>();
  private latest: number;
  private readonly limit: number;
  private readonly retainMs: number;
  private readonly now: () => number;

  constructor(options: HistoryRetention, version: number, tail: readonly StoredChange[] = []) {
    this.limit = options.limit;
    this.retainMs = options.retainMs ?? 0;
    this.now = options.now ?? Date.now;
    this.latest = tail.length > 0 ? tail[0]!.version - 1 : version;
    this.append(tail);
    this.latest = Math.max(this.latest, version);
  }

  /** Latest committed version. */
  get version(): number {
    return this.latest;
  }

  /** How many changes are in memory. */
  get size(): number {
    return this.changes.length - this.start;
  }

  /** The lowest base version whose later changes are all in memory. */
  get oldestBase(): number {
    const first = this.changes[this.start];
    return first ? first.version - 1 : this.latest;
  }

  /** The version `userId`'s changeId was committed at, when it is among the changes in memory. */
  versionOf(userId: string, changeId: string): number | undefined {
    return this.ids.get(authorKey(userId, changeId));
  }

  /** The committed change at `version`, when it is in memory. */
  changeAt(version: number): StoredChange | undefined {
    if (version <= this.oldestBase || version > this.latest) return undefined;
    return this.changes[this.changes.length - (this.latest - version) - 1];
  }

  /** The changes with version > base, oldest first; null when some are no longer in memory. */
  since(base: number): StoredChange[] | null {
    if (base < this.oldestBase || base > this.latest) return null;
    return this.changes.slice(this.changes.length - (this.latest - base));
  }

  /**
   * The ops of the changes with version > base, as `ops[from..]` of a list the history keeps (no
   * copy: read it before the next append); null when some are no longer in memory.
   */
  opsAfter(base: number): LaterOps | null {
    if (base < this.oldestBase || base > this.latest) return null;
    return {
      ops: this.ops,
      from: this.ops.length - (this.latest - base),
      insertAt: this.insAt,
      insertLength: this.insLen,
      authors: this.authors,
    };
  }

  /** Appends committed changes (consecutive, starting at version + 1) and trims what is too old. */
  append(changes: readonly StoredChange[]): void {
    for (const change of changes) {
      if (change.version !== this.latest + 1) {
        throw new Error(`history gap: expected version ${this.latest + 1}, got ${change.version}`);
      }
      this.changes.push(change);
      this.ops.push(change.op);
      const insert = singleInsert(change.op);
      this.insAt.push(insert ? insert.position : -1);
      this.insLen.push(insert ? codePointLength(insert.text) : 0);
      this.authors.push(change.userId);
      this.ids.set(authorKey(change.userId, change.changeId), change.version);
      this.latest = change.version;
    }
    this.trim();
  }

  private trim(): void {
    const oldest = this.now() - this.retainMs;
    while (this.size > this.limit) {
      const first = this.changes[this.start]!;
      if (this.size <= MAX_RETAINED && first.createdAt >= oldest) break;
      this.ids.delete(authorKey(first.userId, first.changeId));
      this.start++;
    }
    // Drop the dead prefix once it is as large as what is kept: amortised O(1) per change.
    if (this.start > 0 && this.start >= this.size) {
      this.changes = this.changes.slice(this.start);
      this.ops = this.ops.slice(this.start);
      this.insAt = this.insAt.slice(this.start);
      this.insLen = this.insLen.slice(this.start);
      this.authors = this.authors.slice(this.start);
      this.start = 0;
    }
  }
}
