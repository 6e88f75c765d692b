/**
 * Change retention on a real SQLite file: changes older than the retention become a snapshot, the
 * document and its named versions read exactly as before, later changes stay, and a version whose
 * changes are gone is reported as no longer available (not a 500).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactHistory } from '../../src/documents/compact-history.js';
import { LoadContentError, loadContent } from '../../src/documents/load-content.js';
import { createSqliteStore } from '../../src/storage/index.js';
import type { DocumentStore, StoredChange } from '../../src/storage/types.js';
import { createDoc } from '../http/helpers.js';

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2026, 11, 7);

let dir: string;
let store: DocumentStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jd-compact-'));
  store = createSqliteStore({ filename: join(dir, 'store.db') });
  await store.init();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Appends `text` as one change committed at `at`. */
async function append(id: string, text: string, at: number): Promise<void> {
  const meta = await store.getDocument(id);
  const length = [...(await loadContent(store, id)).content].length;
  const change: StoredChange = {
    documentId: id,
    version: meta!.version + 1,
    changeId: `c-${meta!.version + 1}`,
    userId: 'u',
    userName: 'U',
    op: length > 0 ? [length, text] : [text],
    createdAt: at,
  };
  expect((await store.commitChanges(id, meta!.version, [change])).ok).toBe(true);
}

describe('compactHistory', () => {
  it('compacts what is older than the retention; content, later changes and named versions stay', async () => {
    await createDoc(store, 'd', '');
    for (let v = 1; v <= 12; v++) await append('d', `${v},`, NOW - (40 - v) * DAY); // v1..v12: 39..28 days old
    await store.saveNamedVersion({
      id: 'n5',
      documentId: 'd',
      name: 'First draft',
      version: 5,
      createdBy: 'u',
      createdByName: 'U',
      createdAt: NOW - 35 * DAY,
    });
    await createDoc(store, 'fresh', 'new');
    await append('fresh', '!', NOW - DAY);
    const before = await loadContent(store, 'd');
    const named = await loadContent(store, 'd', 5);

    const result = await compactHistory(store, { retentionMs: 30 * DAY, now: () => NOW });
    // v1..v9 are older than 30 days (39..31); v10 is exactly 30 days old and stays.
    expect(result).toEqual({ documents: 1, changes: 9 });
    expect((await store.getChanges('d', 0)).map((c) => c.version)).toEqual([10, 11, 12]);
    expect(await loadContent(store, 'd')).toEqual(before);
    expect(await loadContent(store, 'd', 5)).toEqual(named);
    expect(await loadContent(store, 'd', 9)).toEqual({ content: '1,2,3,4,5,6,7,8,9,', version: 9 });
    const gone = await loadContent(store, 'd', 7).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(LoadContentError);
    expect((gone as LoadContentError).code).toBe('VERSION_NOT_FOUND');
    expect(await store.getChanges('fresh', 0)).toHaveLength(1);

    // A second pass has nothing to do; editing goes on from the latest version.
    expect(await compactHistory(store, { retentionMs: 30 * DAY, now: () => NOW })).toEqual({
      documents: 0,
      changes: 0,
    });
    await append('d', 'more', NOW);
    expect((await loadContent(store, 'd')).content).toBe(`${before.content}more`);
  });
});
