/**
 * The write path of one document: queue -> rebase -> store -> apply -> announce.
 *
 * - Serialised: at most one commitChanges call is in flight per document.
 * - Group commit: changes that arrive while a commit is in flight wait in the queue and are all
 *   committed by the next single commitChanges call (one transaction), each as its own version.
 * - Nothing touches the in-memory document, and nobody is acked, before the store said yes.
 * - version-taken (another node committed first): read what we missed, announce it, rebase again
 *   (bounded). duplicate-change: the change was committed before; re-ack with its version.
 * - Changes other nodes committed (pub/sub, or read back from the store) go through the same
 *   serial loop (`remote`, `refresh`), so they never interleave with a local stage/store round.
 */
import { lengthChange, type Op, TextDocument } from '@jd-collab/ot';
import { retryAfterOf } from '../resilient-errors.js';
import type { DocumentStore, StoredChange } from '../storage/types.js';
import { authorKey } from '../storage/validate.js';
import type { ChangeHistory } from './history.js';
import { prepareBase, type RebaseBase, rebaseOnto } from './rebase.js';
import { isSameChange } from './retry-check.js';

export interface ChangeRequest<O> {
  changeId: string;
  baseVersion: number;
  op: Op;
  userId: string;
  userName: string;
  /** Who submitted it (the session), handed back in `committed` so the room can ack in order. */
  origin: O;
}

export type SubmitResult =
  | { status: 'committed'; version: number }
  | { status: 'duplicate'; version: number }
  /** The author's changeId names a stored change with different content (retry-check.ts). */
  | { status: 'changeid-reused'; version: number }
  | { status: 'conflict'; baseVersion: number; currentVersion: number; reason: string }
  | { status: 'invalid'; message: string }
  | { status: 'too-large'; length: number; limit: number }
  /** retryAfterMs: when storage may answer again (an open circuit breaker), if known. */
  | { status: 'storage-error'; message: string; retryAfterMs?: number | undefined };

export interface CommittedEntry<O> {
  change: StoredChange;
  /** null for changes another node committed (read back after a version-taken). */
  origin: O | null;
}

export interface CommitHost<O> {
  readonly documentId: string;
  readonly store: DocumentStore;
  readonly history: ChangeHistory;
  readonly doc: TextDocument;
  /**
   * Called synchronously, in version order, right after changes were stored and applied to
   * `doc` and `history`: the room acks and broadcasts here, so every session sees versions in order.
   */
  committed(entries: CommittedEntry<O>[]): void;
  /** Storage timing, for metrics. */
  observeStorage(operation: string, seconds: number): void;
  counters: { transforms(n: number): void; conflict(): void; committed(n: number): void };
  now(): number;
  /** Longest document in code points: a change that would make it longer is refused. */
  maxDocumentLength: number;
}

export interface PipelineOptions {
  /** Most changes committed in one transaction. */
  maxBatch: number;
  /**
   * Give up with a conflict after this many version-taken retries or this long, whichever comes
   * first. Each lost race means another node committed (progress, not a livelock), so the budget
   * is generous: with several nodes writing one document a node can lose a few times in a row.
   */
  maxRetries: number;
  retryForMs: number;
}

interface Pending<O> {
  request: ChangeRequest<O>;
  resolve(result: SubmitResult): void;
}

interface Staged<O> {
  pending: Pending<O>;
  change: StoredChange;
}

const DEFAULT_OPTIONS: PipelineOptions = { maxBatch: 200, maxRetries: 50, retryForMs: 5000 };

export class CommitPipeline<O> {
  private readonly queue: Pending<O>[] = [];
  /** Remote applies and catch-ups, run between commit rounds (before the next local batch). */
  private readonly tasks: (() => Promise<void>)[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private readonly options: PipelineOptions;

  constructor(
    private readonly host: CommitHost<O>,
    options: Partial<PipelineOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  /** Queues a change; resolves once it was committed (and acked) or refused. Never rejects. */
  submit(request: ChangeRequest<O>): Promise<SubmitResult> {
    return new Promise((resolve) => {
      this.queue.push({ request, resolve });
      this.kick();
    });
  }

  /**
   * Changes another node committed (delivered by pub/sub: maybe late, twice or with holes).
   * Those at or below our version are dropped; the ones that extend it are applied and announced;
   * a hole is filled from the store. Rejects when the store could not be read (nothing is lost:
   * the next message, reconnect or safety-net check reads again).
   */
  remote(changes: readonly StoredChange[]): Promise<void> {
    return this.enqueue(() => this.applyRemote(changes));
  }

  /** Reads, applies and announces whatever other nodes committed after our version. */
  refresh(): Promise<void> {
    return this.enqueue(() => this.catchUp());
  }

  /** Whether a commit is in flight or queued. */
  get busy(): boolean {
    return this.running;
  }

  /** Resolves when the queue is empty and no commit is in flight. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.tasks.push(() => task().then(resolve, reject));
      this.kick();
    });
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 || this.tasks.length > 0) {
        const task = this.tasks.shift();
        if (task) {
          await task(); // settles its own promise; never rejects
          continue;
        }
        const batch = this.takeBatch();
        try {
          await this.commitBatch(batch);
        } catch (error) {
          // A bug, not a storage refusal: refuse what is left rather than leave promises hanging.
          for (const p of batch) p.resolve(storageError(error));
        }
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Takes queued changes for one transaction; a changeId seen twice waits for the next round. */
  private takeBatch(): Pending<O>[] {
    const batch: Pending<O>[] = [];
    const rest: Pending<O>[] = [];
    const ids = new Set<string>();
    for (const p of this.queue) {
      const key = authorKey(p.request.userId, p.request.changeId);
      if (batch.length >= this.options.maxBatch || ids.has(key)) {
        rest.push(p);
        continue;
      }
      ids.add(key);
      batch.push(p);
    }
    // One pass, not a splice per change: a backlog can hold thousands of changes.
    this.queue.length = 0;
    for (const p of rest) this.queue.push(p);
    return batch;
  }

  private async commitBatch(batch: Pending<O>[]): Promise<void> {
    let pending = batch;
    let contention = 0;
    const giveUpAt = performance.now() + this.options.retryForMs;
    // Each round either finishes an entry or counts as contention, so this terminates.
    while (pending.length > 0) {
      if (contention > this.options.maxRetries || (contention > 0 && performance.now() >= giveUpAt)) {
        for (const p of pending) {
          this.host.counters.conflict();
          p.resolve({
            status: 'conflict',
            baseVersion: p.request.baseVersion,
            currentVersion: this.host.history.version,
            reason: 'too many concurrent writers; resynchronize and retry',
          });
        }
        return;
      }
      const staged = await this.stage(pending);
      if (staged.length === 0) return;
      const outcome = await this.store(staged);
      if (outcome === 'done') return;
      if (outcome === 'retry') contention++;
      pending = staged.filter((s) => !s.done).map((s) => s.pending);
    }
  }

  /** Rebases every pending change onto the tip (and onto the ones staged before it). */
  private async stage(pending: Pending<O>[]): Promise<(Staged<O> & { done?: boolean })[]> {
    const { history, doc } = this.host;
    const tip = history.version;
    const staged: (Staged<O> & { done?: boolean })[] = [];
    const stagedOps: Op[] = [];
    const stagedAuthors: string[] = [];
    const startLength = doc.length;
    /** The document's length with the changes staged so far. */
    let length = startLength;
    // Changes of one group mostly share a few base versions: prepare each base once, and walk the
    // document length back from the tip once for all of them (not once per base).
    const bases = new Map<number, RebaseBase>();
    /** Per base read from storage: the changes after it (retries are found among them). */
    const storedAfter = new Map<number, { byId: Map<string, number>; changes: StoredChange[] }>();
    const lengths = new LengthsBack(tip, startLength, history);
    // Lengths validate counted ops; a delete that names its text must also match the text, which
    // only a copy of the document at the staged point can tell. Built only when such an op comes.
    let scratch: TextDocument | null = null;
    for (const p of pending) {
      const { request } = p;
      // Retries are recognised here (memory) or among the changes read for an old base (below);
      // takeBatch keeps ids unique within the group, so rebaseOnto need not look for them again.
      const known = history.versionOf(request.userId, request.changeId);
      if (known !== undefined) {
        await this.answerRetry(p, history.changeAt(known)!);
        continue;
      }
      if (request.baseVersion > tip) {
        this.host.counters.conflict();
        p.resolve({
          status: 'conflict',
          baseVersion: request.baseVersion,
          currentVersion: tip,
          reason: `baseVersion ${request.baseVersion} is ahead of the document (version ${tip})`,
        });
        continue;
      }
      let base = bases.get(request.baseVersion);
      if (base === undefined) {
        const inMemory = history.opsAfter(request.baseVersion);
        if (inMemory !== null) {
          base = {
            baseVersion: request.baseVersion,
            ...inMemory,
            baseLength: lengths.at(request.baseVersion),
          };
        } else {
          const loaded = await this.readLater(p, tip);
          if (loaded === null) continue;
          base = prepareBase(request.baseVersion, loaded, startLength);
          storedAfter.set(request.baseVersion, {
            byId: new Map(loaded.map((c) => [authorKey(c.userId, c.changeId), c.version])),
            changes: loaded,
          });
        }
        bases.set(request.baseVersion, base);
      }
      // A retry older than memory: its original came after the base, so it is among the changes
      // just read (and if a client lied about its base, the store refuses the duplicate anyway).
      const after = storedAfter.get(request.baseVersion);
      const original = after?.byId.get(authorKey(request.userId, request.changeId));
      if (after !== undefined && original !== undefined) {
        const first = after.changes[0]!.version;
        const between = after.changes.slice(0, original - first);
        p.resolve(retryResult(request, after.changes[original - first]!, between));
        continue;
      }
      const result = rebaseOnto(request.op, request.userId, base, stagedOps, stagedAuthors);
      if (result.kind === 'invalid') {
        p.resolve({ status: 'invalid', message: result.message });
        continue;
      }
      // Deletes are always welcome; growth stops at the limit (the whole text must fit in a frame).
      // Checked before the scratch copy takes the op: a refused change must leave no trace.
      const grows = lengthChange(result.op);
      const limit = this.host.maxDocumentLength;
      if (grows > 0 && length + grows > limit) {
        p.resolve({ status: 'too-large', length: length + grows, limit });
        continue;
      }
      if (scratch !== null || namesDeletedText(result.op)) {
        if (scratch === null) {
          scratch = new TextDocument(doc.toString());
          for (const s of staged) scratch.apply(s.change.op);
        }
        try {
          scratch.apply(result.op); // validates first: a refused op leaves the copy as it was
        } catch (error) {
          p.resolve({ status: 'invalid', message: describe(error) });
          continue;
        }
      }
      length += grows;
      this.host.counters.transforms(result.transforms);
      const version = tip + staged.length + 1;
      const change: StoredChange = {
        documentId: this.host.documentId,
        version,
        changeId: request.changeId,
        userId: request.userId,
        userName: request.userName,
        op: result.op,
        createdAt: this.host.now(),
      };
      staged.push({ pending: p, change });
      stagedOps.push(result.op);
      stagedAuthors.push(request.userId);
    }
    return staged;
  }

  /**
   * Answers a resent change with the version of the original, once retry-check.ts agrees it is
   * the same change; the changes between its base and the original come from memory or storage.
   */
  private async answerRetry(p: Pending<O>, original: StoredChange): Promise<void> {
    const { request } = p;
    const from = request.baseVersion;
    const to = original.version - 1;
    if (from >= to) {
      p.resolve(retryResult(request, original, []));
      return;
    }
    const inMemory = this.host.history.since(from);
    if (inMemory !== null && inMemory.length >= to - from) {
      p.resolve(retryResult(request, original, inMemory.slice(0, to - from)));
      return;
    }
    try {
      const t0 = performance.now();
      const between = await this.host.store.getChanges(this.host.documentId, from, to);
      this.host.observeStorage('getChanges', (performance.now() - t0) / 1000);
      // Compacted away: nothing to compare against; the author's id is all there is.
      if (between.length !== to - from) p.resolve({ status: 'duplicate', version: original.version });
      else p.resolve(retryResult(request, original, between));
    } catch (error) {
      p.resolve({ status: 'storage-error', message: describe(error) });
    }
  }

  /**
   * The changes after a base older than memory, read from storage (a slow client), once per base
   * and group. Resolves the request and returns null when it cannot go on.
   */
  private async readLater(p: Pending<O>, tip: number): Promise<StoredChange[] | null> {
    const { store, documentId } = this.host;
    const { request } = p;
    try {
      const t0 = performance.now();
      const changes = await store.getChanges(documentId, request.baseVersion, tip);
      this.host.observeStorage('getChanges', (performance.now() - t0) / 1000);
      if (changes.length !== tip - request.baseVersion) {
        this.host.counters.conflict();
        p.resolve({
          status: 'conflict',
          baseVersion: request.baseVersion,
          currentVersion: tip,
          reason: `the changes after version ${request.baseVersion} are no longer available`,
        });
        return null;
      }
      return changes;
    } catch (error) {
      p.resolve(storageError(error));
      return null;
    }
  }

  /**
   * One commitChanges call. 'done': every staged entry is resolved. 'retry': another node took
   * the version (what it committed is now applied); 'again': a duplicate was set aside.
   */
  private async store(staged: (Staged<O> & { done?: boolean })[]): Promise<'done' | 'retry' | 'again'> {
    const { store, documentId, history, doc } = this.host;
    const expected = history.version;
    let result: Awaited<ReturnType<DocumentStore['commitChanges']>>;
    const t0 = performance.now();
    try {
      result = await store.commitChanges(
        documentId,
        expected,
        staged.map((s) => s.change),
      );
    } catch (error) {
      // Refused, or timed out with its outcome unknown: either way the client resends it by
      // changeId, and a commit that did land is then recognised (duplicate-change below).
      for (const s of staged) s.pending.resolve(storageError(error));
      return 'done';
    } finally {
      this.host.observeStorage('commitChanges', (performance.now() - t0) / 1000);
    }

    if (result.ok) {
      const changes = staged.map((s) => s.change);
      // Validated by rebaseOnto against the exact length, so this cannot throw for a valid store.
      for (const change of changes) doc.apply(change.op);
      history.append(changes);
      this.host.counters.committed(changes.length);
      this.host.committed(staged.map((s) => ({ change: s.change, origin: s.pending.request.origin })));
      for (const s of staged) s.pending.resolve({ status: 'committed', version: s.change.version });
      return 'done';
    }

    if (result.reason === 'duplicate-change') {
      const { existing } = result;
      const dup = staged.find(
        (s) => s.change.changeId === existing.changeId && s.change.userId === existing.userId,
      );
      if (!dup) throw new Error(`store reported duplicate ${existing.changeId} that was not submitted`);
      // Stored by a call we gave up on (a timeout): bring the room up to it first, so the ack's
      // version is one the room (and its clients) already has.
      if (existing.version > history.version) await this.catchUp();
      await this.answerRetry(dup.pending, existing);
      dup.done = true;
      return 'again';
    }

    await this.catchUp();
    return 'retry';
  }

  /** Reads, applies and announces the changes another node committed since our tip. */
  private async catchUp(): Promise<void> {
    const { store, documentId, history } = this.host;
    const t0 = performance.now();
    const missed = await store.getChanges(documentId, history.version);
    this.host.observeStorage('getChanges', (performance.now() - t0) / 1000);
    if (missed.length === 0) return;
    const applied = this.applyForeign(missed);
    if (applied < missed.length) {
      throw new Error(`stored change at version ${missed[applied]?.version} does not apply`);
    }
  }

  private async applyRemote(changes: readonly StoredChange[]): Promise<void> {
    const next = this.host.history.version + 1;
    const sorted = changes.filter((c) => c.version >= next).sort((a, b) => a.version - b.version);
    if (sorted.length === 0) return; // everything already here (late or repeated message)
    let run = 0;
    while (run < sorted.length && sorted[run]!.version === next + run) run++;
    const applied = run > 0 ? this.applyForeign(sorted.slice(0, run)) : 0;
    // A hole before these, or one that did not apply: the store has the truth.
    if (applied < sorted.length) await this.catchUp();
  }

  /**
   * Applies consecutive changes committed elsewhere (starting at version + 1) and announces them
   * with origin null. Stops at the first op that does not apply (a message from a broker is
   * checked, not trusted) and returns how many were applied.
   */
  private applyForeign(changes: readonly StoredChange[]): number {
    const { history, doc } = this.host;
    const applied: StoredChange[] = [];
    for (const change of changes) {
      try {
        doc.apply(change.op); // validates first: a bad op leaves the document untouched
      } catch {
        break;
      }
      applied.push(change);
    }
    if (applied.length === 0) return 0;
    history.append(applied);
    this.host.committed(applied.map((change) => ({ change, origin: null })));
    return applied.length;
  }
}

/**
 * Document lengths at versions below the tip, found by undoing the changes' growth from the tip
 * down, each step taken once per group however many bases ask.
 */
class LengthsBack {
  /** lengths[i]: the length at version tip - i. */
  private readonly lengths: number[];

  constructor(
    private readonly tip: number,
    tipLength: number,
    private readonly history: ChangeHistory,
  ) {
    this.lengths = [tipLength];
  }

  /** Length at `version` (the history must hold every change above it). */
  at(version: number): number {
    const back = this.tip - version;
    if (back >= this.lengths.length) {
      const view = this.history.opsAfter(version)!;
      // view.ops[view.from + k] is the change at version + 1 + k; walk down from the lowest known.
      for (let i = this.lengths.length; i <= back; i++) {
        const op = view.ops[view.ops.length - i]!; // the change at version tip - i + 1
        this.lengths.push(this.lengths[i - 1]! - lengthChange(op));
      }
    }
    return this.lengths[back]!;
  }
}

function storageError(error: unknown): SubmitResult {
  return { status: 'storage-error', message: describe(error), retryAfterMs: retryAfterOf(error) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when the op has a delete in the invertible form (`{d: 'text'}`). */
function namesDeletedText(op: Op): boolean {
  return op.some((c) => typeof c === 'object' && typeof c.d === 'string');
}

/** 'duplicate' when the resent change is the original (retry-check.ts), else 'changeid-reused'. */
function retryResult(
  request: ChangeRequest<unknown>,
  original: StoredChange,
  between: readonly StoredChange[],
): SubmitResult {
  return isSameChange(request.op, request.baseVersion, original, between)
    ? { status: 'duplicate', version: original.version }
    : { status: 'changeid-reused', version: original.version };
}
