/**
 * The client's optimistic OT state machine: pure data and functions, no sockets, no timers.
 *
 * It follows the classic three states (ot.js `Client`, `@codemirror/collab`):
 *
 * - synchronized: every local edit is acknowledged; `text === confirmedText`.
 * - awaitingAck: one change (`inflight`) was sent and is not acknowledged yet.
 * - awaitingWithBuffer: as above, plus local edits made since, composed into one `buffer` op that is
 *   sent as the next change once the inflight one is acknowledged.
 *
 * Invariant: `text === apply(apply(confirmedText, inflight.op), buffer)`, where `confirmedText` is the
 * server's document at `version` (the last server version this client has incorporated).
 *
 * Side convention. The server transforms an incoming change against each change committed since
 * its base with side `tieSide(author, thatAuthor)` (insert ties go by author, so two people typing
 * at one spot keep their runs contiguous; between one author's changes, the committed one wins).
 * The client must reproduce exactly the server's transform for its own pending ops, so when a
 * remote op R by `them` arrives it computes `pending' = transform(pending, R, s)` with
 * `s = tieSide(me, them)` (the same call the server makes) and applies
 * `R' = transform(R, pending, opposite(s))` to its text. TP1 for the text type then guarantees that
 * `pending ∘ R' === R ∘ pending'`, so both sides end with the same document.
 *
 * Exactly-once: an inflight change keeps its `changeId` until it is acknowledged, whatever happens to
 * the connection. It is resent with the same id (the server de-duplicates), and a committed change
 * that carries our inflight id — seen in a resync list or as a broadcast caused by an earlier session
 * of ours — counts as its acknowledgement, never as a remote edit.
 *
 * Both texts are kept as TextDocuments, not strings: applying an op to a string copies the whole
 * document (O(length) per keystroke, which made replaying a 260,000-edit trace client-bound); a
 * TextDocument edit copies one chunk, and its string form stays cheap to produce after every edit
 * (it caches the joined text of groups of chunks), which matters because `text` is read after
 * every change.
 */
import {
  apply,
  compose,
  invert,
  isNoop,
  type Op,
  oppositeSide,
  TextDocument,
  tieSide,
  transform,
  transformPosition,
} from '@jd-collab/ot';
import { diffOp } from './diff-op.js';

/** A change ready to put on the wire as `document.change` (full form). */
export interface SendableChange {
  readonly changeId: string;
  readonly baseVersion: number;
  readonly op: Op;
}

/** A change the server committed, as found in a broadcast or a `sync.response` list. */
export interface CommittedChange {
  readonly version: number;
  readonly op: Op;
  readonly changeId?: string | undefined;
  /** Its author: ties between its inserts and ours at one position go by author (tieSide). */
  readonly userId?: string | undefined;
}

export type SyncStatus = 'synchronized' | 'awaitingAck' | 'awaitingWithBuffer';

/**
 * What a committed change from the server meant for this client.
 * - remote: someone else's edit; apply `op` (already transformed against pending edits) to the editor.
 * - ack: it was our own inflight change (recognised by changeId).
 * - duplicate: its version is one we already incorporated; nothing to do.
 * - gap: its version is beyond the next expected one; the caller must resync since `version`.
 */
export type RemoteOutcome =
  | { readonly kind: 'remote'; readonly op: Op }
  | { readonly kind: 'ack'; readonly changeId: string }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'gap'; readonly expected: number; readonly received: number };

/**
 * A pending change as persisted (see pending-store.ts): the changes of a snapshot apply one after
 * the other to `confirmedText` at `baseVersion`.
 */
export interface PendingChange {
  readonly changeId: string;
  readonly baseVersion: number;
  readonly op: Op;
  /** How many local edits it carries (for pendingCount after a restore). */
  readonly edits: number;
}

/** Everything needed to rebuild a SyncState elsewhere (another page load of the same person). */
export interface SyncSnapshot {
  readonly version: number;
  readonly confirmedText: string;
  /** The inflight change first (if any), then the buffer; each has its changeId already. */
  readonly changes: readonly PendingChange[];
  /** Bumped by every change of the pending edits' content (not by rebasing over remote ops). */
  readonly revision: number;
}

export interface SyncStateInit {
  readonly text: string;
  readonly version: number;
  /** Produces a fresh change id, unique per document across all clients (1..64 chars). */
  readonly newChangeId: () => string;
  /** Our user id (the author of our changes), for breaking insert ties like the server. */
  readonly userId?: string;
}

interface Inflight {
  readonly changeId: string;
  /** The op rebased onto `confirmedText` at the current `version`. */
  op: Op;
  /** How many local edits it carries (for pendingCount). */
  readonly edits: number;
  /** Set when a de-duplicated ack announced a version we have not reached yet (see `ack`). */
  committedAt: number | null;
}

export class SyncState {
  /** The server's document at `version`. */
  #confirmed: TextDocument;
  /** The local document: `#confirmed` plus inflight and buffer. */
  #local: TextDocument;
  #version: number;
  #inflight: Inflight | null = null;
  #buffer: Op | null = null;
  #bufferEdits = 0;
  /**
   * The changeId the buffer will be sent under, reserved when a snapshot is persisted: a replay
   * of that snapshot (from any tab) then sends the same id, which the server de-duplicates.
   */
  #bufferChangeId: string | null = null;
  /** Counts changes of the pending edits' content; a persisted snapshot names the one it holds. */
  #revision = 0;
  readonly #newChangeId: () => string;
  readonly #userId: string | undefined;

  constructor(init: SyncStateInit) {
    this.#userId = init.userId;
    this.#confirmed = new TextDocument(init.text);
    this.#local = new TextDocument(init.text);
    this.#version = init.version;
    this.#newChangeId = init.newChangeId;
  }

  /**
   * Rebuilds the state a snapshot describes (a previous page load's pending edits): the first
   * change is in flight again (it may have been sent: it is resent under its changeId), the next
   * one is the buffer under its reserved changeId. Throws OTError if the changes do not fit.
   */
  static restore(snapshot: SyncSnapshot, init: Omit<SyncStateInit, 'text' | 'version'>): SyncState {
    const state = new SyncState({ ...init, text: snapshot.confirmedText, version: snapshot.version });
    let text = snapshot.confirmedText;
    const [first, second, ...rest] = snapshot.changes;
    if (rest.length > 0) throw new RangeError('A snapshot holds at most two pending changes');
    if (first !== undefined) {
      text = apply(text, first.op);
      state.#inflight = { changeId: first.changeId, op: first.op, edits: first.edits, committedAt: null };
    }
    if (second !== undefined) {
      text = apply(text, second.op);
      state.#buffer = second.op;
      state.#bufferEdits = second.edits;
      state.#bufferChangeId = second.changeId;
    }
    state.#local = new TextDocument(text);
    state.#revision = snapshot.revision;
    return state;
  }

  /**
   * The pending edits with their changeIds, to persist. Reserves the buffer's changeId, so the
   * buffer, when sent, goes under the id persisted here.
   */
  snapshot(): SyncSnapshot {
    const changes: PendingChange[] = [];
    if (this.#inflight !== null) {
      const { changeId, op, edits } = this.#inflight;
      changes.push({ changeId, baseVersion: this.#version, op, edits });
    }
    if (this.#buffer !== null) {
      this.#bufferChangeId ??= this.#newChangeId();
      changes.push({
        changeId: this.#bufferChangeId,
        baseVersion: this.#version,
        op: this.#buffer,
        edits: this.#bufferEdits,
      });
    }
    return { version: this.#version, confirmedText: this.confirmedText, changes, revision: this.#revision };
  }

  /** See SyncSnapshot.revision: equal revisions mean equal pending edits (modulo rebasing). */
  get revision(): number {
    return this.#revision;
  }

  /** The local document: the server's document plus our pending edits. */
  get text(): string {
    return this.#local.toString();
  }

  /** The server's document at `version`, as far as this client knows. */
  get confirmedText(): string {
    return this.#confirmed.toString();
  }

  /** The last server version incorporated into `confirmedText`. */
  get version(): number {
    return this.#version;
  }

  get status(): SyncStatus {
    if (this.#inflight === null) return 'synchronized';
    return this.#buffer === null ? 'awaitingAck' : 'awaitingWithBuffer';
  }

  /** Number of local edits (non-empty `applyLocal` calls) not acknowledged by the server yet. */
  get pendingCount(): number {
    return (this.#inflight?.edits ?? 0) + this.#bufferEdits;
  }

  /** How many local edits the change in flight carries (0 when none is). */
  get inflightEdits(): number {
    return this.#inflight?.edits ?? 0;
  }

  /** The change in flight, rebased onto the current version; resend it as is (same changeId). */
  get inflight(): SendableChange | null {
    const inflight = this.#inflight;
    if (inflight === null) return null;
    return { changeId: inflight.changeId, baseVersion: this.#version, op: inflight.op };
  }

  /** Every pending edit as one op from `confirmedText` to `text` (`[]` when synchronized). */
  get pendingOp(): Op {
    const inflight = this.#inflight?.op ?? [];
    return this.#buffer === null ? inflight : compose(inflight, this.#buffer);
  }

  /**
   * Maps a position in `text` to `confirmedText`, i.e. to the server's document at `version`
   * without our pending edits: the form in which carets are reported to the server, which maps
   * them through everything committed since (our own edits included). A caret inside our own
   * pending text falls back to where that text starts, until it is acknowledged.
   */
  toConfirmedPosition(position: number): number {
    const pending = this.pendingOp;
    if (pending.length === 0) return position;
    return transformPosition(position, invert(pending, this.confirmedText), 'before');
  }

  /** Maps a position in `confirmedText` (e.g. a remote caret at `version`) into `text`. */
  toLocalPosition(position: number): number {
    const pending = this.pendingOp;
    return pending.length === 0 ? position : transformPosition(position, pending, 'before');
  }

  /**
   * Applies a local edit made on `text` (optimistically). Throws OTError if the op does not fit.
   * While a change is in flight, the edit is composed into the buffer.
   */
  applyLocal(op: Op): void {
    if (isNoop(op)) {
      this.#local.check(op); // still refuses an op that does not fit, as for any other edit
      return;
    }
    this.#local.apply(op); // validates first: an op that does not fit changes nothing
    this.#buffer = this.#buffer === null ? op : compose(this.#buffer, op);
    this.#bufferEdits++;
    this.#revision++;
  }

  /**
   * Moves the buffered edits into flight with a new changeId and returns them, when nothing is in
   * flight. Returns null when there is nothing new to send (an inflight change is resent through
   * `inflight`, never through here).
   */
  takeSendable(): SendableChange | null {
    if (this.#inflight !== null || this.#buffer === null) return null;
    this.#inflight = {
      changeId: this.#bufferChangeId ?? this.#newChangeId(),
      op: this.#buffer,
      edits: this.#bufferEdits,
      committedAt: null,
    };
    this.#buffer = null;
    this.#bufferEdits = 0;
    this.#bufferChangeId = null;
    return this.inflight;
  }

  /**
   * Handles the server's acknowledgement of a change. Returns true when it confirmed our inflight
   * change now, false for a stale or foreign ack (e.g. the second ack of a resent change).
   *
   * Acks normally arrive in version order, so `version === this.version + 1`. An ack for a resent
   * change that was committed by an earlier connection may overtake the broadcasts before it; then
   * we remember the version and confirm the change once those broadcasts have been applied.
   */
  ack(changeId: string, version: number): boolean {
    const inflight = this.#inflight;
    if (inflight === null || inflight.changeId !== changeId) return false;
    if (version <= this.#version) return false;
    if (version > this.#version + 1) {
      inflight.committedAt = version;
      return false;
    }
    this.#confirmInflight(version);
    return true;
  }

  /** Incorporates one change committed by the server (broadcast or resync entry). */
  applyRemote(change: CommittedChange): RemoteOutcome {
    if (change.version <= this.#version) return { kind: 'duplicate' };
    if (change.version > this.#version + 1) {
      return { kind: 'gap', expected: this.#version + 1, received: change.version };
    }
    const inflight = this.#inflight;
    if (inflight !== null && change.changeId !== undefined && change.changeId === inflight.changeId) {
      this.#confirmInflight(change.version);
      return { kind: 'ack', changeId: change.changeId };
    }
    if (
      inflight === null &&
      this.#buffer !== null &&
      change.changeId !== undefined &&
      change.changeId === this.#bufferChangeId &&
      sameOp(change.op, this.#buffer)
    ) {
      // Our buffer, already committed by another replay of the same persisted snapshot (a second
      // tab without locks): it is ours, not a remote edit to apply on top of it a second time.
      const changeId = change.changeId;
      this.takeSendable();
      this.#confirmInflight(change.version);
      return { kind: 'ack', changeId };
    }
    // Compute everything before mutating, so an op that does not fit leaves the state untouched.
    this.#confirmed.check(change.op);
    let op = change.op;
    let inflightOp: Op | null = null;
    let buffer: Op | null = null;
    // The server rebases our pending change over this one with exactly this side (tie-break.ts).
    const ours =
      this.#userId === undefined || change.userId === undefined
        ? 'right'
        : tieSide(this.#userId, change.userId);
    const theirs = oppositeSide(ours);
    if (inflight !== null) {
      inflightOp = transform(inflight.op, op, ours);
      op = transform(op, inflight.op, theirs);
    }
    if (this.#buffer !== null) {
      buffer = transform(this.#buffer, op, ours);
      op = transform(op, this.#buffer, theirs);
    }
    this.#local.check(op);
    this.#confirmed.apply(change.op);
    this.#local.apply(op);
    this.#version = change.version;
    if (inflight !== null && inflightOp !== null) inflight.op = inflightOp;
    if (buffer !== null) this.#buffer = buffer;
    if (inflight !== null && inflight.committedAt === this.#version + 1)
      this.#confirmInflight(inflight.committedAt);
    return { kind: 'remote', op };
  }

  /**
   * Incorporates the changes of a `sync.response` (those since our version, in version order).
   * Our own inflight change among them counts as its ack. Versions we already have are skipped.
   * Returns the ops to apply to the editor, in order, or a gap if the list does not connect.
   */
  resync(changes: readonly CommittedChange[]): { ops: Op[]; gap: RemoteOutcome | null } {
    const ops: Op[] = [];
    const sorted = [...changes].sort((a, b) => a.version - b.version);
    for (const change of sorted) {
      const outcome = this.applyRemote(change);
      if (outcome.kind === 'remote') ops.push(outcome.op);
      if (outcome.kind === 'gap') return { ops, gap: outcome };
    }
    return { ops, gap: null };
  }

  /**
   * Replaces the confirmed document with a full snapshot (a `sync.response` without history),
   * keeping pending local edits. Returns the op that turns the old local text into the new one.
   *
   * A snapshot carries no history, so the pending edits cannot be transformed exactly. We rebase
   * them over the minimal diff between the old base and the snapshot (a best effort for concurrent
   * edits at the same place, exact otherwise). The caller must say whether the inflight change is
   * already part of the snapshot: it learns this by resending it with its changeId first (the
   * server acks a committed id again, or refuses an uncommitted stale one). Guessing wrong would
   * duplicate or lose an edit, which is why this is a parameter and not a heuristic.
   * Afterwards nothing is in flight; the remaining edits are buffered and get a new changeId.
   */
  resetToSnapshot(version: number, content: string, options: { inflightIncluded: boolean }): Op {
    const inflight = this.#inflight;
    let base = this.#confirmed.toString();
    let pending: Op | null = this.#buffer;
    let edits = this.#bufferEdits;
    if (inflight !== null) {
      if (options.inflightIncluded) {
        base = apply(base, inflight.op);
      } else {
        pending = pending === null ? inflight.op : compose(inflight.op, pending);
        edits += inflight.edits;
      }
    }
    const remote = diffOp(base, content);
    const rebased = pending === null ? null : transform(pending, remote, 'right');
    const editorOp = pending === null ? remote : transform(remote, pending, 'left');
    const text = rebased === null ? content : apply(content, rebased);
    this.#confirmed = new TextDocument(content);
    this.#version = version;
    this.#inflight = null;
    this.#buffer = rebased === null || isNoop(rebased) ? null : rebased;
    this.#bufferEdits = this.#buffer === null ? 0 : edits;
    // New content for the buffer: it must be persisted under a fresh id before it is sent.
    this.#bufferChangeId = null;
    this.#revision++;
    const old = this.#local.toString();
    this.#local = new TextDocument(text);
    // editorOp maps old local text to the new one; recompute it directly if a transform edge case
    // (e.g. a delete of text the snapshot no longer has) made them disagree.
    return fitsAndProduces(old, editorOp, text) ? editorOp : diffOp(old, text);
  }

  /** Drops every pending edit (e.g. the user turned out to be read-only). Returns the op that undoes them. */
  discardPending(): Op {
    const confirmed = this.#confirmed.toString();
    const op = diffOp(this.#local.toString(), confirmed);
    this.#local = new TextDocument(confirmed);
    this.#inflight = null;
    this.#buffer = null;
    this.#bufferEdits = 0;
    this.#bufferChangeId = null;
    this.#revision++;
    return op;
  }

  #confirmInflight(version: number): void {
    const inflight = this.#inflight;
    if (inflight === null) return;
    this.#confirmed.apply(inflight.op);
    this.#version = version;
    this.#inflight = null;
  }
}

function sameOp(a: Op, b: Op): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function fitsAndProduces(doc: string, op: Op, expected: string): boolean {
  try {
    return apply(doc, op) === expected;
  } catch {
    return false;
  }
}
