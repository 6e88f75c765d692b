/**
 * The answer to `sync.request {sinceVersion}`: the committed changes since the client's base
 * whenever they still exist (from memory, else from storage, in pages), a full snapshot only when
 * they truly do not.
 *
 * Why it matters: a snapshot carries no history, so a client holding pending edits can only rebase
 * them over a diff of texts, which cannot know where concurrent inserts really went. A restarted
 * node holds in memory only what it loaded (the latest snapshot onwards), so answering "not in
 * memory" with a snapshot turned every reconnect after a restart into such a guess and put one
 * person's offline text inside another's (issue 25). The changes are in storage until retention
 * compacts them (CHANGE_RETENTION_DAYS), so storage is asked first.
 */
import type { SyncChange, SyncResponsePayload } from '@jd-collab/protocol';
import type { StoredChange } from '../storage/types.js';
import type { ChangeHistory } from './history.js';

/** A page of a delta holds at most this many changes... */
export const SYNC_PAGE_CHANGES = 1000;
/** ...and about this many bytes of ops (a frame must stay well under MAX_FRAME_BYTES). */
export const SYNC_PAGE_BYTES = 512 * 1024;

/** How a sync.request was answered, for the metric and the log. */
export type SyncAnswer =
  | { kind: 'changes'; source: 'memory' | 'storage' }
  | { kind: 'snapshot'; reason: SnapshotReason };

/**
 * Why a snapshot: the client asked for one (no sinceVersion), its base is ahead of the document
 * (the server was restored from an older backup), or the changes since its base were compacted.
 */
export type SnapshotReason = 'requested' | 'ahead' | 'compacted';

export interface SyncSource {
  readonly documentId: string;
  readonly history: ChangeHistory;
  /** The current text (read after any storage wait, so it matches `history.version`). */
  content(): string;
  /** Committed changes with fromVersion < version <= toVersion, oldest first (storage). */
  readChanges(fromVersion: number, toVersion: number): Promise<StoredChange[]>;
}

export interface SyncResult {
  payload: SyncResponsePayload;
  answer: SyncAnswer;
}

/**
 * Builds the sync.response payload. Rejects only when storage fails (the caller answers
 * STORAGE_UNAVAILABLE; the client repeats its request).
 */
export async function syncResponse(
  source: SyncSource,
  sinceVersion: number | undefined,
): Promise<SyncResult> {
  const { history } = source;
  if (sinceVersion === undefined) return snapshot(source, 'requested');
  if (sinceVersion > history.version) return snapshot(source, 'ahead');
  const inMemory = history.since(sinceVersion);
  if (inMemory !== null) {
    return {
      payload: delta(sinceVersion, inMemory, history.version),
      answer: { kind: 'changes', source: 'memory' },
    };
  }
  // Older than memory: read up to where memory starts (or a page's worth), then let the client ask
  // again from where this page ends; the rest usually comes from memory then.
  const upTo = Math.min(history.oldestBase, sinceVersion + SYNC_PAGE_CHANGES);
  const stored = await source.readChanges(sinceVersion, upTo);
  if (!consecutiveFrom(stored, sinceVersion) || stored.length === 0) return snapshot(source, 'compacted');
  return {
    payload: delta(sinceVersion, stored, history.version),
    answer: { kind: 'changes', source: 'storage' },
  };
}

function snapshot(source: SyncSource, reason: SnapshotReason): SyncResult {
  return {
    payload: { version: source.history.version, content: source.content() },
    answer: { kind: 'snapshot', reason },
  };
}

/**
 * A page of changes from `sinceVersion + 1`, cut at SYNC_PAGE_CHANGES or SYNC_PAGE_BYTES (at least
 * one change); `more` when the document has changes after the page.
 */
function delta(sinceVersion: number, changes: readonly StoredChange[], latest: number): SyncResponsePayload {
  const page: SyncChange[] = [];
  let bytes = 0;
  for (const change of changes) {
    if (page.length >= SYNC_PAGE_CHANGES) break;
    const size = JSON.stringify(change.op).length + change.changeId.length + change.userId.length + 64;
    if (page.length > 0 && bytes + size > SYNC_PAGE_BYTES) break;
    bytes += size;
    page.push({ version: change.version, changeId: change.changeId, op: change.op, userId: change.userId });
  }
  const version = page.at(-1)?.version ?? sinceVersion;
  return version < latest
    ? { version, sinceVersion, changes: page, more: true }
    : { version, sinceVersion, changes: page };
}

/** The changes are exactly sinceVersion+1, +2, ... (a compacted prefix leaves a hole at the start). */
function consecutiveFrom(changes: readonly StoredChange[], sinceVersion: number): boolean {
  return changes.every((change, i) => change.version === sinceVersion + 1 + i);
}
