/**
 * syncResponse against the real memory store and a real ChangeHistory: changes from memory, from
 * storage when memory no longer holds the base (a restarted node), in pages, and a snapshot only
 * when the changes do not exist.
 */
import { TextDocument } from '@jd-collab/ot';
import { isSyncDelta, type SyncDeltaPayload, type SyncResponsePayload } from '@jd-collab/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { ChangeHistory } from '../../src/collab/history.js';
import {
  SYNC_PAGE_BYTES,
  SYNC_PAGE_CHANGES,
  type SyncSource,
  syncResponse,
} from '../../src/collab/resync.js';
import { MemoryStore } from '../../src/storage/index.js';
import type { StoredChange } from '../../src/storage/types.js';

let store: MemoryStore;
let doc: TextDocument;

function change(version: number, text: string): StoredChange {
  return {
    documentId: 'd',
    version,
    changeId: `c${version}`,
    userId: 'u',
    userName: 'U',
    op: doc.length > 0 ? [doc.length, text] : [text],
    createdAt: 0,
  };
}

/** Commits `n` appends of `text` through the store, keeping `doc` in step. */
async function commit(n: number, text = 'x'): Promise<void> {
  for (let i = 0; i < n; i++) {
    const meta = await store.getDocument('d');
    const c = change(meta!.version + 1, text);
    const result = await store.commitChanges('d', meta!.version, [c]);
    expect(result.ok).toBe(true);
    doc.apply(c.op);
  }
}

/** A source like a room that loaded the document now: memory holds only the last `limit` changes. */
async function loaded(limit: number): Promise<SyncSource> {
  const meta = await store.getDocument('d');
  const tail = await store.getChanges('d', Math.max(0, meta!.version - limit));
  const history = new ChangeHistory({ limit }, meta!.version, tail);
  return {
    documentId: 'd',
    history,
    content: () => doc.toString(),
    readChanges: (from, to) => store.getChanges('d', from, to),
  };
}

function asDelta(payload: SyncResponsePayload): SyncDeltaPayload {
  if (!isSyncDelta(payload)) throw new Error(`expected changes, got a snapshot at ${payload.version}`);
  return payload;
}

beforeEach(async () => {
  store = new MemoryStore();
  await store.init();
  await store.createDocument({
    id: 'd',
    title: 'T',
    department: 'D',
    content: '',
    createdBy: 'u',
    createdByName: 'U',
  });
  doc = new TextDocument('');
});

describe('syncResponse', () => {
  it('answers from memory when the base is there', async () => {
    await commit(10);
    const { payload, answer } = await syncResponse(await loaded(5), 7);
    expect(answer).toEqual({ kind: 'changes', source: 'memory' });
    expect(asDelta(payload).changes.map((c) => c.version)).toEqual([8, 9, 10]);
    expect(asDelta(payload)).toMatchObject({ version: 10, sinceVersion: 7 });
    expect('more' in payload).toBe(false);
  });

  it('reads from storage what memory no longer holds, and says there is more', async () => {
    await commit(10);
    const source = await loaded(3);
    const first = await syncResponse(source, 2);
    expect(first.answer).toEqual({ kind: 'changes', source: 'storage' });
    // Up to where memory starts; the client asks again from there and gets the rest from memory.
    expect(asDelta(first.payload)).toMatchObject({ sinceVersion: 2, version: 7, more: true });
    expect(asDelta(first.payload).changes.map((c) => c.version)).toEqual([3, 4, 5, 6, 7]);
    const second = await syncResponse(source, 7);
    expect(second.answer).toEqual({ kind: 'changes', source: 'memory' });
    expect(asDelta(second.payload).changes.map((c) => c.version)).toEqual([8, 9, 10]);
  });

  it('pages a long history by count and by bytes, never an empty page', async () => {
    await commit(SYNC_PAGE_CHANGES + 20);
    const source = await loaded(1);
    const page = asDelta((await syncResponse(source, 0)).payload);
    expect(page.changes).toHaveLength(SYNC_PAGE_CHANGES);
    expect(page.more).toBe(true);

    const big = 'y'.repeat(200_000);
    await commit(3, big);
    const bytes = asDelta((await syncResponse(await loaded(1), SYNC_PAGE_CHANGES + 20)).payload);
    expect(bytes.changes).toHaveLength(2); // 400 KB fits in a page, 600 KB does not
    expect(JSON.stringify(bytes).length).toBeLessThan(SYNC_PAGE_BYTES + 1000);
    const alone = asDelta((await syncResponse(await loaded(1), SYNC_PAGE_CHANGES + 20)).payload);
    expect(alone.changes.length).toBeGreaterThan(0);
  });

  it('answers with a snapshot when asked, when the base is ahead, or when the changes are gone', async () => {
    await commit(6);
    const source = await loaded(2);
    expect((await syncResponse(source, undefined)).answer).toEqual({ kind: 'snapshot', reason: 'requested' });
    const ahead = await syncResponse(source, 9);
    expect(ahead.answer).toEqual({ kind: 'snapshot', reason: 'ahead' });
    expect(ahead.payload).toEqual({ version: 6, content: 'xxxxxx' });
    // Changes 1..3 compacted away (a snapshot at 3 stands for them).
    await store.saveSnapshot({ documentId: 'd', version: 3, content: 'xxx', createdAt: 0 });
    expect(await store.deleteChangesThrough('d', 3)).toBe(3);
    expect((await syncResponse(source, 1)).answer).toEqual({ kind: 'snapshot', reason: 'compacted' });
    expect((await syncResponse(source, 3)).answer).toEqual({ kind: 'changes', source: 'storage' });
  });
});
