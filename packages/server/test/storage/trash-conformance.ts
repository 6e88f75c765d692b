/**
 * The trash part of the DocumentStore contract (run by store-conformance.ts on every backend):
 * a trashed document leaves the live reads but keeps everything, its id stays taken, a restore
 * brings it back as it was (same incarnation, history and versions), and a purge removes it.
 */
import { describe, expect, it } from 'vitest';
import type { DocumentStore, NewDocument } from '../../src/storage/types.js';

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;

function newDoc(id: string): NewDocument {
  return {
    id,
    title: `Title of ${id}`,
    department: 'Engineering',
    content: 'Hello',
    createdBy: 'u-alice',
    createdByName: 'Alice',
    createdAt: T0,
  };
}

const byAdmin = (deletedAt: number) => ({ deletedBy: 'u-root', deletedByName: 'Root Admin', deletedAt });

export function describeTrash(store: () => DocumentStore): void {
  describe('trash', () => {
    it('moves a document to the trash: gone from the live reads, kept with who deleted it and when', async () => {
      const s = store();
      await s.createDocument(newDoc('keep'));
      await s.createDocument(newDoc('bin'));
      const before = await s.getDocument('bin');
      const trashed = await s.trashDocument('bin', byAdmin(T0 + 5));
      expect(trashed).toMatchObject({
        id: 'bin',
        deletedAt: T0 + 5,
        deletedBy: 'u-root',
        deletedByName: 'Root Admin',
        incarnation: before!.incarnation,
      });
      expect(await s.getDocument('bin')).toBeNull();
      expect((await s.listDocuments()).map((d) => d.id)).toEqual(['keep']);
      expect(await s.updateDocument('bin', { title: 'x', updatedBy: 'u', updatedByName: 'U' })).toBeNull();
      expect(await s.findDocument('bin')).toEqual(trashed);
      expect(await s.findDocument('keep')).toMatchObject({ id: 'keep', deletedAt: null });
      expect(await s.findDocument('missing')).toBeNull();
      expect((await s.listTrash()).map((d) => d.id)).toEqual(['bin']);
      // Twice is a no-op, and so is trashing what does not exist.
      expect(await s.trashDocument('bin', byAdmin(T0 + 6))).toBeNull();
      expect(await s.trashDocument('missing', byAdmin(T0 + 6))).toBeNull();
      // The id stays taken: it cannot be created again while the document is in the trash.
      expect(await s.createDocument(newDoc('bin'))).toBe(false);
    });

    it('restores a trashed document with its history, snapshots, named versions and incarnation', async () => {
      const s = store();
      await s.createDocument(newDoc('doc'));
      const change = {
        documentId: 'doc',
        version: 1,
        changeId: 'c-1',
        userId: 'u-bob',
        userName: 'Bob',
        op: [5, ' world'],
        createdAt: T0 + 1,
      };
      expect(await s.commitChanges('doc', 0, [change])).toEqual({ ok: true, version: 1 });
      const version = {
        id: 'nv-1',
        documentId: 'doc',
        name: 'First',
        version: 1,
        createdBy: 'u-bob',
        createdByName: 'Bob',
        createdAt: T0 + 2,
      };
      await s.saveNamedVersion(version);
      const live = await s.getDocument('doc');
      await s.trashDocument('doc', byAdmin(T0 + 3));
      const restored = await s.restoreDocument('doc');
      expect(restored).toEqual(live);
      expect(await s.getDocument('doc')).toEqual(live);
      expect(await s.getChanges('doc', 0)).toEqual([change]);
      expect(await s.listNamedVersions('doc')).toEqual([version]);
      expect(await s.listTrash()).toEqual([]);
      // Restoring what is not in the trash does nothing.
      expect(await s.restoreDocument('doc')).toBeNull();
      expect(await s.restoreDocument('missing')).toBeNull();
    });

    it('lists the trash most recently deleted first', async () => {
      const s = store();
      for (const id of ['a', 'b', 'c']) await s.createDocument(newDoc(id));
      await s.trashDocument('a', byAdmin(T0 + 2));
      await s.trashDocument('b', byAdmin(T0 + 9));
      await s.trashDocument('c', byAdmin(T0 + 2));
      expect((await s.listTrash()).map((d) => d.id)).toEqual(['b', 'a', 'c']);
    });

    it('purges what was trashed before the cut-off, with everything it held, and frees the id', async () => {
      const s = store();
      for (const id of ['old', 'recent', 'live']) await s.createDocument(newDoc(id));
      await s.saveNamedVersion({
        id: 'nv-old',
        documentId: 'old',
        name: 'Kept until purged',
        version: 0,
        createdBy: 'u-alice',
        createdByName: 'Alice',
        createdAt: T0,
      });
      const oldIncarnation = (await s.getDocument('old'))!.incarnation;
      await s.trashDocument('old', byAdmin(T0));
      await s.trashDocument('recent', byAdmin(T0 + 40 * DAY));
      expect(await s.purgeTrash(T0 + 30 * DAY)).toEqual(['old']);
      expect(await s.findDocument('old')).toBeNull();
      expect(await s.getSnapshot('old')).toBeNull();
      expect(await s.listNamedVersions('old')).toEqual([]);
      expect((await s.listTrash()).map((d) => d.id)).toEqual(['recent']);
      expect((await s.listDocuments()).map((d) => d.id)).toEqual(['live']);
      expect(await s.purgeTrash(T0 + 30 * DAY)).toEqual([]);
      // A purged id can be created again, as a new document: another incarnation.
      expect(await s.createDocument(newDoc('old'))).toBe(true);
      expect((await s.getDocument('old'))!.incarnation).not.toBe(oldIncarnation);
    });

    it('deletes a trashed document permanently', async () => {
      const s = store();
      await s.createDocument(newDoc('doc'));
      await s.trashDocument('doc', byAdmin(T0));
      expect(await s.deleteDocument('doc')).toBe(true);
      expect(await s.findDocument('doc')).toBeNull();
      expect(await s.listTrash()).toEqual([]);
    });
  });
}
