import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoadContentError, loadContent } from '../../src/documents/load-content.js';
import { createSqliteStore } from '../../src/storage/index.js';
import type { DocumentStore } from '../../src/storage/types.js';
import { commit, createDoc } from '../http/helpers.js';

let store: DocumentStore;
beforeEach(async () => {
  store = createSqliteStore({ filename: ':memory:' });
  await store.init();
});
afterEach(async () => {
  await store.close();
});

async function loadError(documentId: string, version?: number): Promise<LoadContentError> {
  const error = await loadContent(store, documentId, version).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LoadContentError);
  return error as LoadContentError;
}

describe('loadContent', () => {
  it('returns the initial content of a new document at version 0', async () => {
    await createDoc(store, 'd', 'start');
    expect(await loadContent(store, 'd')).toEqual({ content: 'start', version: 0 });
  });

  it('replays changes after the latest snapshot, counting code points', async () => {
    await createDoc(store, 'd', '👋🏽 hi');
    // '👋🏽' is 2 code points (4 UTF-16 units)
    await commit(store, 'd', [[3, { d: 2 }, 'yo'], [2, 'é'], [{ d: 2 }]]);
    expect(await loadContent(store, 'd')).toEqual({ content: 'é yo', version: 3 });
    expect(await loadContent(store, 'd', 1)).toEqual({ content: '👋🏽 yo', version: 1 });
  });

  it('uses a later snapshot when there is one and older ones for older versions', async () => {
    await createDoc(store, 'd', 'a');
    await commit(store, 'd', [
      [1, 'b'],
      [2, 'c'],
    ]);
    // A snapshot that disagrees with the history would show which one was used.
    await store.saveSnapshot({ documentId: 'd', version: 2, content: 'SNAP', createdAt: Date.now() });
    await commit(store, 'd', [[4, '!']]);
    expect(await loadContent(store, 'd')).toEqual({ content: 'SNAP!', version: 3 });
    expect(await loadContent(store, 'd', 2)).toEqual({ content: 'SNAP', version: 2 });
    expect(await loadContent(store, 'd', 1)).toEqual({ content: 'ab', version: 1 });
  });

  it('refuses a missing document with DOCUMENT_NOT_FOUND', async () => {
    expect((await loadError('nope')).code).toBe('DOCUMENT_NOT_FOUND');
    expect((await loadError('nope', 3)).code).toBe('DOCUMENT_NOT_FOUND');
  });

  it('refuses a version past the latest with VERSION_NOT_FOUND', async () => {
    await createDoc(store, 'd', 'a');
    await commit(store, 'd', [[1, 'b']]);
    const error = await loadError('d', 2);
    expect(error.code).toBe('VERSION_NOT_FOUND');
    expect(error.message).toContain('latest is 1');
  });

  it('refuses a negative or fractional version', async () => {
    await createDoc(store, 'd', 'a');
    await expect(loadContent(store, 'd', -1)).rejects.toThrow(RangeError);
    await expect(loadContent(store, 'd', 1.5)).rejects.toThrow(RangeError);
  });
});
