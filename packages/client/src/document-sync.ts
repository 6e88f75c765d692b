/**
 * Keeps the local document in step with the server across one connection after another: the
 * SyncState plus the per-connection phases around it.
 *
 *   handshake ─(first document.open)──────────────────────────────────────────→ live
 *             ─(reconnect)→ syncing: sync.request {sinceVersion} → replay delta → live
 *   a full snapshot while a change is in flight → fate: resend it under its changeId; an ack means
 *     the server has it, a refusal that it does not → snapshot: sync.request {} → rebase → live
 *
 * Going live resends the inflight change with its changeId (the server de-duplicates). Broadcasts
 * that arrive before `live` are held and replayed by version, so nothing is applied twice.
 */
import { type Op, OTError } from '@jd-collab/ot';
import { type ClientMessage, clientMessage, type DocumentOpenPayload } from '@jd-collab/protocol';
import type { ChangeOrigin } from './client-types.js';
import { diffOp } from './diff-op.js';
import { CollabError } from './errors.js';
import { type CommittedChange, type SendableChange, SyncState } from './sync-state.js';
import { TimerSlot, type Timers } from './timers.js';

export type Phase = 'idle' | 'handshake' | 'syncing' | 'fate' | 'snapshot' | 'live';

export interface DocumentSyncHooks {
  /** Sends a message now on the current connection (sync requests, fate probes). */
  send(message: ClientMessage): void;
  /** Asks for an outgoing frame soon; `collect()` will be called to fill it. */
  requestFlush(): void;
  /** The local text changed by `op`. */
  applied(op: Op, origin: ChangeOrigin, author?: { userId: string; userName: string }): void;
  /** Our inflight change was acknowledged (pendingCount dropped). */
  confirmed(): void;
  /** The connection is synchronized; pending edits are being resent. */
  live(): void;
  /**
   * Pending edits were rebased over a full snapshot (the history since their base no longer
   * exists), so they were merged against a newer version by comparing texts.
   */
  merged(pendingEdits: number, version: number): void;
  /** Changes are not acknowledged: the connection is presumably broken. */
  stalled(): void;
  /**
   * Whether the buffered edits may go out as a new change now (optional; persistence answers
   * false until they are written under their changeId, then asks for a flush).
   */
  mayTake?(state: SyncState): boolean;
  report(error: CollabError): void;
}

const DEFAULT_ACK_TIMEOUT_MS = 5000;
/** Ack timeouts of one change (each followed by a resend) before the connection is presumed broken. */
const ACK_TIMEOUTS_BEFORE_RECONNECT = 2;

export class DocumentSync {
  #state: SyncState | null = null;
  #phase: Phase = 'idle';
  #held: CommittedChange[] = [];
  /** Whether the inflight change must be (re)sent at the next flush. */
  #resendInflight = true;
  #ackTimeouts = 0;
  /** Our change the server refused (so not committed): a snapshot cannot contain it. */
  #refusedChangeId: string | null = null;
  /** In 'snapshot': whether the awaited snapshot contains our inflight change. */
  #inflightIncluded = false;
  /** The last sync request or fate probe, to repeat if the server refused it unprocessed. */
  #lastDirect: ClientMessage | null = null;
  readonly #ackTimer: TimerSlot;

  constructor(
    private readonly hooks: DocumentSyncHooks,
    timers: Timers,
    private readonly ackTimeoutMs = DEFAULT_ACK_TIMEOUT_MS,
    private readonly newChangeId: () => string,
  ) {
    this.#ackTimer = new TimerSlot(timers);
  }

  get state(): SyncState | null {
    return this.#state;
  }

  get phase(): Phase {
    return this.#phase;
  }

  get isLive(): boolean {
    return this.#phase === 'live';
  }

  isInflight(changeId: string | undefined): boolean {
    return changeId !== undefined && this.#state?.inflight?.changeId === changeId;
  }

  /**
   * Starts from a state restored from storage (a previous page load's pending edits), before the
   * first connection: its document.open then resynchronizes from the restored version.
   */
  restore(state: SyncState): void {
    if (this.#state !== null) throw new Error('DocumentSync.restore: a state is loaded already');
    this.#state = state;
  }

  /** A socket opened: wait for document.open. */
  connected(): void {
    this.#phase = 'handshake';
  }

  /** The socket is gone: forget what belonged to it, keep every pending edit. */
  disconnected(): void {
    this.#phase = 'idle';
    this.#held = [];
    this.#ackTimer.stop();
    this.#resendInflight = true;
  }

  /** Handles document.open. Returns false when it was not the connection's first message. */
  open(payload: DocumentOpenPayload): boolean {
    if (this.#phase !== 'handshake') return false;
    const state = this.#state;
    if (state === null) {
      this.#state = new SyncState({
        text: payload.content,
        version: payload.version,
        newChangeId: this.newChangeId,
        userId: payload.self.userId,
      });
      this.hooks.applied(diffOp('', payload.content), 'resync');
      this.#goLive();
    } else if (payload.version === state.version && state.inflight === null) {
      this.#goLive(); // nothing happened while we were away
    } else if (payload.version < state.version) {
      // The server is behind what we saw (restored from a backup?): only its full text is truth.
      this.onSnapshot(payload.version, payload.content);
    } else {
      this.#phase = 'syncing';
      this.#sendDirect(clientMessage('sync.request', { sinceVersion: state.version }));
    }
    return true;
  }

  /** The change to put in the next frame, if any: the inflight one to resend, or the next one. */
  collect(): ClientMessage | null {
    const state = this.#state;
    if (this.#phase !== 'live' || state === null) return null;
    let change: SendableChange | null = null;
    if (state.inflight !== null) {
      if (this.#resendInflight) change = state.inflight;
    } else if (this.hooks.mayTake?.(state) ?? true) {
      change = state.takeSendable();
    }
    this.#resendInflight = false;
    if (change === null) return null;
    this.#armAckTimer();
    return changeMessage(change);
  }

  /** Resend the inflight change at the next flush (after a refusal that did not process it). */
  resendInflight(): void {
    this.#resendInflight = true;
  }

  /**
   * Repeats the sync request (or fate probe) we are waiting on, after RATE_LIMITED refused a frame
   * without saying which. Repeating is harmless: a second answer is ignored by phase and version.
   */
  repeatRequest(): void {
    if (this.#lastDirect === null || this.#phase === 'live' || this.#phase === 'idle') return;
    this.hooks.send(this.#lastDirect);
  }

  onAck(changeId: string, version: number): void {
    const state = this.#state;
    if (state === null) return;
    if (this.#phase === 'fate' && state.inflight?.changeId === changeId) {
      // The server has our change (now or from before): the snapshot we take next contains it.
      this.#ackTimer.stop();
      this.#requestSnapshot(true);
      return;
    }
    if (state.ack(changeId, version)) this.#confirmed();
  }

  onCommitted(change: CommittedChange, author: { userId: string; userName: string }): void {
    const state = this.#state;
    if (state === null) return;
    if (this.#phase !== 'live') {
      this.#held.push(change);
      return;
    }
    let outcome: ReturnType<SyncState['applyRemote']>;
    try {
      outcome = state.applyRemote(change);
    } catch (error) {
      if (!(error instanceof OTError)) throw error;
      // The server's op does not fit our text: our copy is wrong. Start over from the full text.
      this.hooks.report(new CollabError('PROTOCOL_ERROR', `A server change does not fit: ${error.message}`));
      this.#requestFullResync();
      return;
    }
    switch (outcome.kind) {
      case 'remote':
        this.hooks.applied(outcome.op, 'remote', author);
        return;
      case 'ack':
        this.#confirmed();
        return;
      case 'duplicate':
        return;
      case 'gap':
        // We missed a change (an invalid frame was dropped?): catch up from our version.
        this.#held.push(change);
        this.#phase = 'syncing';
        this.#sendDirect(clientMessage('sync.request', { sinceVersion: state.version }));
        return;
    }
  }

  /**
   * A delta (or one page of it: `more` says the server has changes after it, which we ask for
   * next; the broadcasts held meanwhile are replayed after the last page).
   */
  onDelta(changes: readonly CommittedChange[], more = false): void {
    const state = this.#state;
    if (state === null || this.#phase !== 'syncing') return;
    const hadInflight = state.inflight !== null;
    const { ops, gap } = state.resync(more ? changes : [...changes, ...this.#held]);
    for (const op of ops) this.hooks.applied(op, 'remote');
    if (hadInflight && state.inflight === null) this.#confirmed();
    if (gap !== null) {
      this.#requestFullResync();
      return;
    }
    if (more) {
      this.#sendDirect(clientMessage('sync.request', { sinceVersion: state.version }));
      return;
    }
    this.#goLive();
  }

  onSnapshot(version: number, content: string): void {
    const state = this.#state;
    // A snapshot is only awaited while catching up; another one (a repeated request's second
    // answer) is stale or redundant and must not roll the text back.
    if (state === null || this.#phase === 'idle' || this.#phase === 'live' || this.#phase === 'fate') return;
    const inflight = state.inflight;
    if (this.#phase !== 'snapshot') {
      if (inflight !== null && inflight.changeId !== this.#refusedChangeId) {
        // Without history we cannot tell whether our change is in this snapshot. Ask the server by
        // resending it under its changeId: a committed id is acked again, an uncommitted stale one
        // is refused (conflict). Then take a fresh snapshot knowing the answer.
        this.#phase = 'fate';
        this.#sendInflightNow();
        return;
      }
      this.#inflightIncluded = false;
    }
    const held = this.#held;
    this.#held = [];
    const rebasing = state.pendingCount - (this.#inflightIncluded ? state.inflightEdits : 0);
    const op = state.resetToSnapshot(version, content, { inflightIncluded: this.#inflightIncluded });
    this.#refusedChangeId = null;
    this.hooks.applied(op, 'resync');
    // Our edits were rebased over a diff of texts, not over the changes themselves: say so once.
    if (rebasing > 0) this.hooks.merged(rebasing, version);
    const { ops, gap } = state.resync(held);
    for (const remote of ops) this.hooks.applied(remote, 'remote');
    if (gap !== null) {
      this.#phase = 'syncing';
      this.#sendDirect(clientMessage('sync.request', { sinceVersion: state.version }));
      return;
    }
    this.#goLive();
  }

  /** conflict.detected (or CONFLICT): the change was not applied; resynchronize, then resend it. */
  onConflict(changeId: string | undefined): void {
    const state = this.#state;
    if (state === null) return;
    const ours = this.isInflight(changeId);
    if (ours) {
      this.#ackTimer.stop();
      this.#refusedChangeId = changeId ?? null;
    }
    if (this.#phase === 'fate') {
      if (ours) this.#requestSnapshot(false);
      return;
    }
    if (this.#phase !== 'live') return;
    this.#phase = 'syncing';
    this.#sendDirect(clientMessage('sync.request', { sinceVersion: state.version }));
  }

  /** INVALID_OP for our change: our copy disagrees with the server's. Rebase onto its full text. */
  onInvalidOp(changeId: string): void {
    this.#ackTimer.stop();
    this.#refusedChangeId = changeId;
    this.#requestSnapshot(false);
  }

  /** FORBIDDEN for our change: the server will never take our edits. Roll them back. */
  discardPending(): void {
    const state = this.#state;
    if (state === null) return;
    this.#ackTimer.stop();
    this.hooks.applied(state.discardPending(), 'resync');
  }

  #goLive(): void {
    this.#phase = 'live';
    this.#held = [];
    this.#resendInflight = true;
    this.#ackTimeouts = 0;
    this.hooks.live();
    this.hooks.requestFlush();
  }

  #confirmed(): void {
    this.#ackTimer.stop();
    this.#ackTimeouts = 0;
    this.hooks.confirmed();
    if (this.#phase === 'live') this.hooks.requestFlush();
  }

  /** Full snapshot where the fate of our inflight change is known. */
  #requestSnapshot(inflightIncluded: boolean): void {
    this.#phase = 'snapshot';
    this.#inflightIncluded = inflightIncluded;
    this.#sendDirect(clientMessage('sync.request', {}));
  }

  /** Full snapshot where the fate of our inflight change is unknown: onSnapshot settles it first. */
  #requestFullResync(): void {
    this.#phase = 'syncing';
    this.#sendDirect(clientMessage('sync.request', {}));
  }

  #sendInflightNow(): void {
    const inflight = this.#state?.inflight;
    if (inflight == null) return;
    this.#sendDirect(changeMessage(inflight));
    this.#armAckTimer();
  }

  #sendDirect(message: ClientMessage): void {
    this.#lastDirect = message;
    this.hooks.send(message);
  }

  #armAckTimer(): void {
    this.#ackTimer.start(this.ackTimeoutMs, () => {
      if (this.#state?.inflight == null) return;
      if (++this.#ackTimeouts >= ACK_TIMEOUTS_BEFORE_RECONNECT) {
        this.hooks.stalled();
        return;
      }
      if (this.#phase === 'fate') {
        this.#sendInflightNow();
        return;
      }
      this.#resendInflight = true;
      this.hooks.requestFlush();
    });
  }
}

function changeMessage(change: SendableChange): ClientMessage {
  return clientMessage('document.change', {
    changeId: change.changeId,
    baseVersion: change.baseVersion,
    op: change.op,
  });
}
