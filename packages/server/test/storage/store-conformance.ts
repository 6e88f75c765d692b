/**
 * The DocumentStore contract as Vitest tests. Every backend runs this same suite (memory,
 * SQLite, PostgreSQL next) with a factory that returns a fresh, empty store:
 *
 *   describeDocumentStore('sqlite', async () => { ...; return { store, cleanup } });
 *
 * The suite calls init() itself (it must be idempotent) and cleanup() after each test.
 */
import type { Op } from '@jd-collab/ot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStoreError, type StoreErrorCode } from '../../src/storage/store-errors.js';
import type { DocumentStore, NamedVersion, NewDocument, StoredChange } from '../../src/storage/types.js';
import { describeTrash } from './trash-conformance.js';

export interface StoreHandle {
  store: DocumentStore;
  cleanup: () => Promise<void>;
}

const T0 = 1_700_000_000_000;

function newDoc(id: string, overrides: Partial<NewDocument> = {}): NewDocument {
  return {
    id,
    title: `Title of ${id}`,
    department: 'Engineering',
    content: 'Hello',
    createdBy: 'u-alice',
    createdByName: 'Alice',
    createdAt: T0,
    ...overrides,
  };
}

function change(documentId: string, version: number, overrides: Partial<StoredChange> = {}): StoredChange {
  return {
    documentId,
    version,
    changeId: `c-${version}`,
    userId: 'u-bob',
    userName: 'Bob',
    op: [version, 'x'],
    createdAt: T0 + version,
    ...overrides,
  };
}

/** Consecutive changes after `afterVersion`, with changeIds `${prefix}-${version}`. */
function batch(documentId: string, afterVersion: number, count: number, prefix = 'c'): StoredChange[] {
  return Array.from({ length: count }, (_, i) =>
    change(documentId, afterVersion + i + 1, { changeId: `${prefix}-${afterVersion + i + 1}` }),
  );
}

function named(id: string, documentId: string, version: number, createdAt: number): NamedVersion {
  return {
    id,
    documentId,
    name: `Version ${id}`,
    version,
    createdBy: 'u-alice',
    createdByName: 'Alice',
    createdAt,
  };
}

async function expectStoreError(promise: Promise<unknown>, code: StoreErrorCode): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a StoreError ${code}`).not.toBeNull();
  expect(isStoreError(error, code), `expected StoreError ${code}, got ${String(error)}`).toBe(true);
}

export function describeDocumentStore(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`DocumentStore conformance: ${name}`, () => {
    let handle: StoreHandle;
    let store: DocumentStore;

    beforeEach(async () => {
      handle = await makeStore();
      store = handle.store;
      await store.init();
      await store.init(); // idempotent
    });

    afterEach(async () => {
      await handle.cleanup();
    });

    describe('documents', () => {
      it('creates a document at version 0 with its content as the version-0 snapshot', async () => {
        expect(await store.createDocument(newDoc('doc-1', { content: 'Hello' }))).toBe(true);
        expect(await store.getDocument('doc-1')).toEqual({
          id: 'doc-1',
          title: 'Title of doc-1',
          department: 'Engineering',
          status: 'draft',
          createdAt: T0,
          createdBy: 'u-alice',
          updatedAt: T0,
          updatedBy: 'u-alice',
          updatedByName: 'Alice',
          version: 0,
          incarnation: expect.stringMatching(/^[0-9a-f]{24}$/),
          posting: {},
          deletedAt: null,
          deletedBy: null,
          deletedByName: null,
        });
        expect(await store.getSnapshot('doc-1')).toEqual({
          documentId: 'doc-1',
          version: 0,
          content: 'Hello',
          createdAt: T0,
        });
      });

      it('keeps the given status and defaults createdAt to now', async () => {
        const before = Date.now();
        await store.createDocument(newDoc('doc-1', { status: 'published', createdAt: undefined }));
        const after = Date.now();
        const meta = await store.getDocument('doc-1');
        expect(meta?.status).toBe('published');
        expect(meta?.createdAt).toBeGreaterThanOrEqual(before);
        expect(meta?.createdAt).toBeLessThanOrEqual(after);
      });

      it('refuses a duplicate id and leaves the original untouched', async () => {
        await store.createDocument(newDoc('doc-1', { title: 'First', content: 'one' }));
        expect(await store.createDocument(newDoc('doc-1', { title: 'Second', content: 'two' }))).toBe(false);
        expect((await store.getDocument('doc-1'))?.title).toBe('First');
        expect((await store.getSnapshot('doc-1'))?.content).toBe('one');
        expect(await store.listDocuments()).toHaveLength(1);
      });

      it('returns null for an unknown document', async () => {
        expect(await store.getDocument('missing')).toBeNull();
      });

      it('lists documents most recently updated first, ties by id', async () => {
        expect(await store.listDocuments()).toEqual([]);
        await store.createDocument(newDoc('b', { createdAt: T0 }));
        await store.createDocument(newDoc('a', { createdAt: T0 }));
        await store.createDocument(newDoc('c', { createdAt: T0 + 10 }));
        expect((await store.listDocuments()).map((d) => d.id)).toEqual(['c', 'a', 'b']);
        await store.commitChanges('b', 0, [change('b', 1, { createdAt: T0 + 20 })]);
        expect((await store.listDocuments()).map((d) => d.id)).toEqual(['b', 'c', 'a']);
      });

      it('updates only the given fields and records who did it', async () => {
        await store.createDocument(newDoc('doc-1', { title: 'Old', department: 'Sales' }));
        const { incarnation } = (await store.getDocument('doc-1'))!;
        const updated = await store.updateDocument('doc-1', {
          status: 'review',
          updatedBy: 'u-carol',
          updatedByName: 'Carol',
          updatedAt: T0 + 500,
        });
        const expected = {
          id: 'doc-1',
          title: 'Old',
          department: 'Sales',
          status: 'review',
          createdAt: T0,
          createdBy: 'u-alice',
          updatedAt: T0 + 500,
          updatedBy: 'u-carol',
          updatedByName: 'Carol',
          version: 0,
          incarnation,
          posting: {},
          deletedAt: null,
          deletedBy: null,
          deletedByName: null,
        };
        expect(updated).toEqual(expected);
        expect(await store.getDocument('doc-1')).toEqual(expected);
        const retitled = await store.updateDocument('doc-1', {
          title: 'New — café',
          department: 'Marketing',
          updatedBy: 'u-dan',
          updatedByName: 'Dan',
        });
        expect(retitled).toMatchObject({ title: 'New — café', department: 'Marketing', status: 'review' });
        // Posting fields: a patch replaces the fields it names and clears those given as null;
        // two patches of different fields both stay (each is merged in the store, atomically).
        const nyc = { city: 'New York', region: 'NY', country: 'US' };
        const pay = { min: 90_000, max: 120_000, currency: 'USD', period: 'YEAR' as const };
        await Promise.all([
          store.updateDocument('doc-1', {
            posting: { locations: [nyc] },
            updatedBy: 'u-a',
            updatedByName: 'A',
          }),
          store.updateDocument('doc-1', { posting: { pay }, updatedBy: 'u-b', updatedByName: 'B' }),
        ]);
        expect((await store.getDocument('doc-1'))?.posting).toEqual({ locations: [nyc], pay });
        const cleared = await store.updateDocument('doc-1', {
          posting: { pay: null, workplace: 'hybrid' },
          updatedBy: 'u-a',
          updatedByName: 'A',
        });
        expect(cleared?.posting).toEqual({ locations: [nyc], workplace: 'hybrid' });
        await expectStoreError(
          store.updateDocument('doc-1', {
            posting: { workplace: 'moon' } as never,
            updatedBy: 'u-a',
            updatedByName: 'A',
          }),
          'INVALID_ARGUMENT',
        );
        expect(retitled?.updatedAt).toBeGreaterThan(T0 + 500); // defaults to now
      });

      it('returns null when updating an unknown document', async () => {
        expect(
          await store.updateDocument('missing', { title: 'x', updatedBy: 'u', updatedByName: 'U' }),
        ).toBeNull();
        expect(await store.listDocuments()).toEqual([]);
      });

      it('refuses an unknown status and malformed text', async () => {
        await expectStoreError(
          store.createDocument(newDoc('doc-1', { status: 'archived' as never })),
          'INVALID_ARGUMENT',
        );
        await expectStoreError(
          store.createDocument(newDoc('doc-2', { content: 'bad \ud800 text' })),
          'INVALID_ARGUMENT',
        );
        expect(await store.listDocuments()).toEqual([]);
        await store.createDocument(newDoc('doc-3'));
        await expectStoreError(
          store.updateDocument('doc-3', { status: 'gone' as never, updatedBy: 'u', updatedByName: 'U' }),
          'INVALID_ARGUMENT',
        );
        expect((await store.getDocument('doc-3'))?.status).toBe('draft');
      });

      it('deletes a document with its changes, snapshots and named versions, and nothing else', async () => {
        await store.createDocument(newDoc('doc-1'));
        await store.createDocument(newDoc('doc-2'));
        for (const id of ['doc-1', 'doc-2']) {
          await store.commitChanges(id, 0, batch(id, 0, 3));
          await store.saveSnapshot({ documentId: id, version: 3, content: 'Hello!!!', createdAt: T0 + 3 });
          await store.saveNamedVersion(named(`nv-${id}`, id, 3, T0 + 4));
        }

        expect(await store.deleteDocument('doc-1')).toBe(true);
        expect(await store.getDocument('doc-1')).toBeNull();
        expect(await store.getChanges('doc-1', 0)).toEqual([]);
        expect(await store.findChange('doc-1', 'u-bob', 'c-1')).toBeNull();
        expect(await store.getSnapshot('doc-1')).toBeNull();
        expect(await store.listNamedVersions('doc-1')).toEqual([]);
        expect((await store.listDocuments()).map((d) => d.id)).toEqual(['doc-2']);

        expect(await store.getChanges('doc-2', 0)).toHaveLength(3);
        expect((await store.getSnapshot('doc-2'))?.version).toBe(3);
        expect(await store.listNamedVersions('doc-2')).toHaveLength(1);
      });

      it('starts a fresh history when a deleted id is created again', async () => {
        await store.createDocument(newDoc('doc-1', { content: 'old' }));
        await store.commitChanges('doc-1', 0, batch('doc-1', 0, 2));
        await store.saveNamedVersion(named('nv-1', 'doc-1', 2, T0));
        await store.deleteDocument('doc-1');

        expect(await store.createDocument(newDoc('doc-1', { content: 'new' }))).toBe(true);
        expect((await store.getDocument('doc-1'))?.version).toBe(0);
        expect((await store.getSnapshot('doc-1'))?.content).toBe('new');
        // The old changeIds and named version id are free again.
        expect(await store.commitChanges('doc-1', 0, batch('doc-1', 0, 1))).toEqual({ ok: true, version: 1 });
        await store.saveNamedVersion(named('nv-1', 'doc-1', 1, T0));
      });

      it('reports false when deleting an unknown document', async () => {
        expect(await store.deleteDocument('missing')).toBe(false);
      });
    });

    describe('commitChanges', () => {
      beforeEach(async () => {
        await store.createDocument(newDoc('doc'));
      });

      it('commits at the expected version and bumps version and updated*', async () => {
        const first = change('doc', 1, { userId: 'u-bob', userName: 'Bob', createdAt: T0 + 100 });
        expect(await store.commitChanges('doc', 0, [first])).toEqual({ ok: true, version: 1 });
        expect(await store.getDocument('doc')).toMatchObject({
          version: 1,
          updatedAt: T0 + 100,
          updatedBy: 'u-bob',
          updatedByName: 'Bob',
          createdBy: 'u-alice',
        });
        expect(await store.getChanges('doc', 0)).toEqual([first]);
      });

      it('takes updated* from the last change of a batch', async () => {
        const changes = [
          change('doc', 1, { changeId: 'a', userId: 'u-bob', userName: 'Bob', createdAt: T0 + 1 }),
          change('doc', 2, { changeId: 'b', userId: 'u-carol', userName: 'Carol', createdAt: T0 + 2 }),
        ];
        expect(await store.commitChanges('doc', 0, changes)).toEqual({ ok: true, version: 2 });
        expect(await store.getDocument('doc')).toMatchObject({
          version: 2,
          updatedAt: T0 + 2,
          updatedBy: 'u-carol',
          updatedByName: 'Carol',
        });
      });

      it('reports version-taken with the current version and stores nothing', async () => {
        await store.commitChanges('doc', 0, batch('doc', 0, 2));
        const result = await store.commitChanges('doc', 1, [change('doc', 2, { changeId: 'late' })]);
        expect(result).toEqual({ ok: false, reason: 'version-taken', currentVersion: 2 });
        expect(await store.findChange('doc', 'u-bob', 'late')).toBeNull();
        expect((await store.getDocument('doc'))?.version).toBe(2);
        // Ahead of the document is refused the same way.
        expect(await store.commitChanges('doc', 5, [change('doc', 6, { changeId: 'ahead' })])).toEqual({
          ok: false,
          reason: 'version-taken',
          currentVersion: 2,
        });
      });

      it('reports duplicate-change with the stored change, whatever the expected version', async () => {
        const original = change('doc', 1, { changeId: 'retry-me', op: [5, '!'] });
        await store.commitChanges('doc', 0, [original]);
        // Retried at the now-current version: a duplicate, not a second commit.
        const atCurrent = await store.commitChanges('doc', 1, [change('doc', 2, { changeId: 'retry-me' })]);
        expect(atCurrent).toEqual({ ok: false, reason: 'duplicate-change', existing: original });
        // Retried at the stale version it was first sent at: still recognised as a duplicate.
        const atStale = await store.commitChanges('doc', 0, [change('doc', 1, { changeId: 'retry-me' })]);
        expect(atStale).toEqual({ ok: false, reason: 'duplicate-change', existing: original });
        expect(await store.getChanges('doc', 0)).toEqual([original]);
        expect((await store.getDocument('doc'))?.version).toBe(1);
      });

      it('lets two documents use the same changeId', async () => {
        await store.createDocument(newDoc('other'));
        expect(await store.commitChanges('doc', 0, [change('doc', 1, { changeId: 'same' })])).toMatchObject({
          ok: true,
        });
        expect(
          await store.commitChanges('other', 0, [change('other', 1, { changeId: 'same' })]),
        ).toMatchObject({
          ok: true,
        });
      });

      it('scopes changeIds by author: another user committing my changeId first takes nothing of mine', async () => {
        // Issue 12: a co-editor who sends the changeId another user is about to send (changeIds
        // travel in broadcasts) must not make that user's change a "retry".
        const theirs = change('doc', 1, { changeId: 'next', userId: 'u-mallory', op: [5, 'X'] });
        expect(await store.commitChanges('doc', 0, [theirs])).toEqual({ ok: true, version: 1 });
        const mine = change('doc', 2, { changeId: 'next', userId: 'u-bob', op: [5, 'mine'] });
        expect(await store.commitChanges('doc', 1, [mine])).toEqual({ ok: true, version: 2 });
        expect(await store.findChange('doc', 'u-bob', 'next')).toEqual(mine);
        expect(await store.findChange('doc', 'u-mallory', 'next')).toEqual(theirs);
        // Both in one group commit is fine too; one author's changeId twice is not.
        const pair = [
          change('doc', 3, { changeId: 'both', userId: 'u-a' }),
          change('doc', 4, { changeId: 'both', userId: 'u-b' }),
        ];
        expect(await store.commitChanges('doc', 2, pair)).toEqual({ ok: true, version: 4 });
        // My retry is still recognised as mine.
        expect(await store.commitChanges('doc', 4, [{ ...mine, version: 5 }])).toEqual({
          ok: false,
          reason: 'duplicate-change',
          existing: mine,
        });
        await expectStoreError(
          store.commitChanges('doc', 4, [
            change('doc', 5, { changeId: 'twice', userId: 'u-a' }),
            change('doc', 6, { changeId: 'twice', userId: 'u-a' }),
          ]),
          'INVALID_ARGUMENT',
        );
      });

      it('commits a group atomically: all of it or none of it', async () => {
        expect(await store.commitChanges('doc', 0, batch('doc', 0, 5, 'g'))).toEqual({
          ok: true,
          version: 5,
        });
        expect((await store.getChanges('doc', 0)).map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);

        // The last change of this group is a retry: nothing of the group may be stored.
        const group = [...batch('doc', 5, 3, 'h'), change('doc', 9, { changeId: 'g-2' })];
        const result = await store.commitChanges('doc', 5, group);
        expect(result).toMatchObject({
          ok: false,
          reason: 'duplicate-change',
          existing: { changeId: 'g-2', version: 2 },
        });
        expect(await store.findChange('doc', 'u-bob', 'h-6')).toBeNull();
        expect(await store.getChanges('doc', 5)).toEqual([]);
        expect((await store.getDocument('doc'))?.version).toBe(5);

        // A group at a taken version stores nothing either.
        expect(await store.commitChanges('doc', 4, batch('doc', 4, 3, 'i'))).toEqual({
          ok: false,
          reason: 'version-taken',
          currentVersion: 5,
        });
        expect(await store.findChange('doc', 'u-bob', 'i-5')).toBeNull();
        expect(await store.getChanges('doc', 0)).toHaveLength(5);
      });

      it('rejects malformed batches with INVALID_ARGUMENT and stores nothing', async () => {
        await expectStoreError(store.commitChanges('doc', 0, []), 'INVALID_ARGUMENT');
        await expectStoreError(store.commitChanges('doc', 0, [change('doc', 2)]), 'INVALID_ARGUMENT');
        await expectStoreError(
          store.commitChanges('doc', 0, [change('doc', 1), change('doc', 3)]),
          'INVALID_ARGUMENT',
        );
        await expectStoreError(store.commitChanges('doc', 0, [change('elsewhere', 1)]), 'INVALID_ARGUMENT');
        await expectStoreError(
          store.commitChanges('doc', 0, [
            change('doc', 1, { changeId: 'x' }),
            change('doc', 2, { changeId: 'x' }),
          ]),
          'INVALID_ARGUMENT',
        );
        await expectStoreError(store.commitChanges('doc', -1, [change('doc', 0)]), 'INVALID_ARGUMENT');
        await expectStoreError(
          store.commitChanges('doc', 0, [change('doc', 1, { changeId: '' })]),
          'INVALID_ARGUMENT',
        );
        expect(await store.getChanges('doc', 0)).toEqual([]);
        expect((await store.getDocument('doc'))?.version).toBe(0);
      });

      it('rejects a commit to an unknown document with DOCUMENT_NOT_FOUND', async () => {
        await expectStoreError(
          store.commitChanges('missing', 0, [change('missing', 1)]),
          'DOCUMENT_NOT_FOUND',
        );
        expect(await store.getDocument('missing')).toBeNull();
      });

      it('lets exactly one of many concurrent commits at one version win', async () => {
        const attempts = Array.from({ length: 25 }, (_, i) =>
          store.commitChanges('doc', 0, [change('doc', 1, { changeId: `racer-${i}` })]),
        );
        const results = await Promise.all(attempts);
        const winners = results.filter((r) => r.ok);
        expect(winners).toEqual([{ ok: true, version: 1 }]);
        for (const r of results.filter((r) => !r.ok)) {
          expect(r).toEqual({ ok: false, reason: 'version-taken', currentVersion: 1 });
        }
        expect(await store.getChanges('doc', 0)).toHaveLength(1);
      });

      it('serialises many concurrent writers into one gap-free history', async () => {
        const writers = 8;
        const changesPerWriter = 15;
        const writer = async (w: number): Promise<void> => {
          for (let n = 0; n < changesPerWriter; n++) {
            let expected = (await store.getDocument('doc'))!.version;
            for (;;) {
              const changeId = `w${w}-${n}`;
              const result = await store.commitChanges('doc', expected, [
                change('doc', expected + 1, { changeId }),
              ]);
              if (result.ok) break;
              if (result.reason !== 'version-taken') throw new Error(`unexpected ${result.reason}`);
              expected = result.currentVersion;
            }
          }
        };
        await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));

        const history = await store.getChanges('doc', 0);
        const total = writers * changesPerWriter;
        expect(history.map((c) => c.version)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        expect(new Set(history.map((c) => c.changeId)).size).toBe(total);
        expect((await store.getDocument('doc'))?.version).toBe(total);
      });
    });

    describe('reading changes', () => {
      beforeEach(async () => {
        await store.createDocument(newDoc('doc'));
        await store.commitChanges('doc', 0, batch('doc', 0, 6));
      });

      it('returns changes with fromVersion < version <= toVersion, in order', async () => {
        const versions = async (from: number, to?: number) =>
          (await store.getChanges('doc', from, to)).map((c) => c.version);
        expect(await versions(0)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(await versions(2, 4)).toEqual([3, 4]);
        expect(await versions(4)).toEqual([5, 6]);
        expect(await versions(4, 4)).toEqual([]);
        expect(await versions(6)).toEqual([]);
        expect(await versions(5, 100)).toEqual([6]);
        expect(await versions(-3, 1)).toEqual([1]);
        expect(await versions(4, 2)).toEqual([]);
        expect(await store.getChanges('missing', 0)).toEqual([]);
      });

      it('returns full StoredChange objects', async () => {
        expect(await store.getChanges('doc', 2, 3)).toEqual([change('doc', 3, { changeId: 'c-3' })]);
      });

      it('finds a change by id within its document only', async () => {
        expect(await store.findChange('doc', 'u-bob', 'c-4')).toEqual(change('doc', 4, { changeId: 'c-4' }));
        expect(await store.findChange('doc', 'u-bob', 'nope')).toBeNull();
        await store.createDocument(newDoc('other'));
        expect(await store.findChange('other', 'u-bob', 'c-4')).toBeNull();
        expect(await store.findChange('missing', 'u-bob', 'c-4')).toBeNull();
      });

      it('rejects non-integer bounds', async () => {
        await expectStoreError(store.getChanges('doc', Number.NaN), 'INVALID_ARGUMENT');
        await expectStoreError(store.getChanges('doc', 0, 1.5), 'INVALID_ARGUMENT');
      });

      it('hands out copies: mutating a result does not change the store', async () => {
        const [first] = await store.getChanges('doc', 0, 1);
        (first!.op as unknown[]).push('tampered');
        first!.changeId = 'tampered';
        expect(await store.getChanges('doc', 0, 1)).toEqual([change('doc', 1)]);
        const meta = await store.getDocument('doc');
        meta!.version = 99;
        expect((await store.getDocument('doc'))?.version).toBe(6);
      });
    });

    describe('round trips', () => {
      const samples: Array<[string, string]> = [
        ['emoji and ZWJ sequences', '👩‍💻 ships 🚀 — 🇩🇪 flags & skin tones 👋🏽'],
        ['combining marks', 'e\u0301 a\u0308 n\u0303 — Zalgo: Z\u0351\u0357a\u0352l\u0363g\u0368o'],
        ['CJK and RTL', '软件工程师 ソフトウェア 소프트웨어 مهندس برمجيات עברית'],
        [
          'JSON and SQL metacharacters',
          `"quotes" 'single' \\ backslash \n newline \t tab ; DROP TABLE changes; --`,
        ],
        ['control characters', 'a\u0001b\u001fc\u007fd\u2028e'],
        ['a long string', `${'Lorem ipsum dolor sit amet, café — 😀 '.repeat(5_000)}end`],
      ];

      for (const [label, text] of samples) {
        it(`keeps ops and content exactly: ${label}`, async () => {
          await store.createDocument(newDoc('doc', { content: text, title: text.slice(0, 40) }));
          const op: Op = [3, text, { d: 2 }, 7, text.slice(0, 10)];
          const committed = change('doc', 1, { op, userName: `Zoë ${label}` });
          expect(await store.commitChanges('doc', 0, [committed])).toEqual({ ok: true, version: 1 });
          expect(await store.getChanges('doc', 0)).toEqual([committed]);
          expect(await store.findChange('doc', 'u-bob', 'c-1')).toEqual(committed);
          expect((await store.getSnapshot('doc', 0))?.content).toBe(text);
          await store.saveSnapshot({ documentId: 'doc', version: 1, content: `${text}!`, createdAt: T0 });
          expect((await store.getSnapshot('doc'))?.content).toBe(`${text}!`);
          expect((await store.getDocument('doc'))?.title).toBe(text.slice(0, 40));
        });
      }

      it('refuses text no backend can hold: lone surrogates and U+0000', async () => {
        await store.createDocument(newDoc('doc'));
        for (const bad of ['\ud83d', 'x\udc00y', 'nul\u0000']) {
          await expectStoreError(store.createDocument(newDoc('bad', { content: bad })), 'INVALID_ARGUMENT');
          await expectStoreError(store.createDocument(newDoc('bad', { title: bad })), 'INVALID_ARGUMENT');
          await expectStoreError(
            store.commitChanges('doc', 0, [change('doc', 1, { op: [1, bad] })]),
            'INVALID_ARGUMENT',
          );
          await expectStoreError(
            store.saveSnapshot({ documentId: 'doc', version: 0, content: bad, createdAt: T0 }),
            'INVALID_ARGUMENT',
          );
        }
        expect(await store.getDocument('bad')).toBeNull();
        expect(await store.getChanges('doc', 0)).toEqual([]);
        expect((await store.getSnapshot('doc'))?.content).toBe('Hello');
      });

      it('keeps large retain and delete counts exact', async () => {
        await store.createDocument(newDoc('doc'));
        const op: Op = [2 ** 31, { d: 2 ** 40 }, 'x'];
        await store.commitChanges('doc', 0, [change('doc', 1, { op })]);
        expect((await store.findChange('doc', 'u-bob', 'c-1'))?.op).toEqual(op);
      });
    });

    describe('snapshots', () => {
      beforeEach(async () => {
        await store.createDocument(newDoc('doc', { content: 'v0' }));
        await store.commitChanges('doc', 0, batch('doc', 0, 10));
      });

      it('returns the latest snapshot, or the latest at or before a version', async () => {
        await store.saveSnapshot({ documentId: 'doc', version: 8, content: 'v8', createdAt: T0 + 8 });
        await store.saveSnapshot({ documentId: 'doc', version: 4, content: 'v4', createdAt: T0 + 4 });
        expect(await store.getSnapshot('doc')).toEqual({
          documentId: 'doc',
          version: 8,
          content: 'v8',
          createdAt: T0 + 8,
        });
        const at = async (v: number) => (await store.getSnapshot('doc', v))?.version ?? null;
        expect(await at(10)).toBe(8);
        expect(await at(8)).toBe(8);
        expect(await at(7)).toBe(4);
        expect(await at(4)).toBe(4);
        expect(await at(3)).toBe(0);
        expect(await at(0)).toBe(0);
        expect(await at(-1)).toBeNull();
        expect(await store.getSnapshot('missing')).toBeNull();
      });

      it('replaces a snapshot saved again at the same version', async () => {
        await store.saveSnapshot({ documentId: 'doc', version: 5, content: 'first', createdAt: T0 });
        await store.saveSnapshot({ documentId: 'doc', version: 5, content: 'second', createdAt: T0 + 1 });
        expect(await store.getSnapshot('doc', 5)).toEqual({
          documentId: 'doc',
          version: 5,
          content: 'second',
          createdAt: T0 + 1,
        });
      });

      it('refuses a snapshot of an unknown document or of a version not reached yet', async () => {
        await expectStoreError(
          store.saveSnapshot({ documentId: 'missing', version: 0, content: '', createdAt: T0 }),
          'DOCUMENT_NOT_FOUND',
        );
        await expectStoreError(
          store.saveSnapshot({ documentId: 'doc', version: 11, content: 'future', createdAt: T0 }),
          'INVALID_ARGUMENT',
        );
        expect((await store.getSnapshot('doc'))?.version).toBe(0);
      });
    });

    describe('compaction', () => {
      beforeEach(async () => {
        await store.createDocument(newDoc('doc', { content: 'v0' }));
        await store.commitChanges('doc', 0, batch('doc', 0, 10)); // change v created at T0 + v
      });

      it('finds the latest version committed before a time', async () => {
        expect(await store.lastVersionBefore('doc', T0 + 4)).toBe(3);
        expect(await store.lastVersionBefore('doc', T0 + 100)).toBe(10);
        expect(await store.lastVersionBefore('doc', T0)).toBe(0);
        expect(await store.lastVersionBefore('missing', T0 + 100)).toBe(0);
      });

      it('deletes the changes through a snapshot and older snapshots, keeping named versions readable', async () => {
        await store.saveSnapshot({ documentId: 'doc', version: 2, content: 'v2', createdAt: T0 });
        await store.saveSnapshot({ documentId: 'doc', version: 3, content: 'v3', createdAt: T0 });
        await store.saveSnapshot({ documentId: 'doc', version: 6, content: 'v6', createdAt: T0 });
        await store.saveNamedVersion(named('n3', 'doc', 3, T0));
        expect(await store.deleteChangesThrough('doc', 6)).toBe(6);
        expect((await store.getChanges('doc', 0)).map((c) => c.version)).toEqual([7, 8, 9, 10]);
        expect(await store.findChange('doc', 'u-bob', 'c-6')).toBeNull();
        expect((await store.findChange('doc', 'u-bob', 'c-7'))?.version).toBe(7);
        expect((await store.getSnapshot('doc'))?.version).toBe(6);
        expect((await store.getSnapshot('doc', 5))?.content).toBe('v3'); // the named version's
        expect(await store.getSnapshot('doc', 2)).toBeNull();
        expect(await store.deleteChangesThrough('doc', 6)).toBe(0); // idempotent
        // Committing goes on from the latest version.
        expect((await store.commitChanges('doc', 10, batch('doc', 10, 1))).ok).toBe(true);
      });

      it('refuses to compact without a snapshot at that version, or an unknown document', async () => {
        await expectStoreError(store.deleteChangesThrough('doc', 5), 'INVALID_ARGUMENT');
        await expectStoreError(store.deleteChangesThrough('missing', 0), 'DOCUMENT_NOT_FOUND');
        expect(await store.getChanges('doc', 0)).toHaveLength(10);
      });
    });

    describe('named versions', () => {
      beforeEach(async () => {
        await store.createDocument(newDoc('doc'));
        await store.createDocument(newDoc('other'));
        await store.commitChanges('doc', 0, batch('doc', 0, 5));
      });

      it('lists by version, then createdAt, then id', async () => {
        await store.saveNamedVersion(named('nv-c', 'doc', 5, T0 + 30));
        await store.saveNamedVersion(named('nv-b', 'doc', 2, T0 + 20));
        await store.saveNamedVersion(named('nv-a', 'doc', 2, T0 + 20));
        await store.saveNamedVersion(named('nv-d', 'doc', 2, T0 + 10));
        await store.saveNamedVersion(named('nv-e', 'doc', 0, T0 + 40));
        await store.saveNamedVersion(named('nv-x', 'other', 0, T0));
        const list = await store.listNamedVersions('doc');
        expect(list.map((v) => v.id)).toEqual(['nv-e', 'nv-d', 'nv-a', 'nv-b', 'nv-c']);
        expect(list[0]).toEqual(named('nv-e', 'doc', 0, T0 + 40));
        expect(await store.listNamedVersions('missing')).toEqual([]);
      });

      it('refuses a taken id and an unknown document', async () => {
        await store.saveNamedVersion(named('nv-1', 'doc', 1, T0));
        await expectStoreError(store.saveNamedVersion(named('nv-1', 'doc', 2, T0)), 'ALREADY_EXISTS');
        await expectStoreError(store.saveNamedVersion(named('nv-1', 'other', 0, T0)), 'ALREADY_EXISTS');
        await expectStoreError(store.saveNamedVersion(named('nv-2', 'missing', 0, T0)), 'DOCUMENT_NOT_FOUND');
        expect(await store.listNamedVersions('doc')).toEqual([named('nv-1', 'doc', 1, T0)]);
      });
    });

    describeTrash(() => store);

    describe('lifecycle', () => {
      it('answers ping while open and refuses every call once closed', async () => {
        await store.ping();
        await store.createDocument(newDoc('doc'));
        await store.close();
        await store.close(); // idempotent
        await expectStoreError(store.ping(), 'CLOSED');
        await expectStoreError(store.getDocument('doc'), 'CLOSED');
        await expectStoreError(store.commitChanges('doc', 0, [change('doc', 1)]), 'CLOSED');
      });
    });
  });
}
