import { describe, expect, it } from 'vitest';
import { seedDocuments } from '../../src/seed/job-descriptions.js';
import { seedIfEmpty } from '../../src/seed/seed-if-empty.js';
import { createMemoryStore } from '../../src/storage/memory-store.js';
import { createSqliteStore } from '../../src/storage/sqlite-store.js';

const NOW = 1_750_000_000_000;

describe('seedIfEmpty', () => {
  it('creates every seed in an empty store, authored by system at version 0', async () => {
    const store = createSqliteStore({ filename: ':memory:' });
    await store.init();
    try {
      expect(await seedIfEmpty(store, NOW)).toBe(seedDocuments.length);
      const docs = await store.listDocuments();
      expect(docs.map((d) => d.id).sort()).toEqual(seedDocuments.map((d) => d.id).sort());
      for (const seed of seedDocuments) {
        expect(await store.getDocument(seed.id)).toMatchObject({
          title: seed.title,
          department: seed.department,
          status: seed.status,
          createdBy: 'system',
          createdAt: NOW,
          version: 0,
        });
        expect((await store.getSnapshot(seed.id))?.content).toBe(seed.content);
      }
    } finally {
      await store.close();
    }
  });

  it('does nothing the second time', async () => {
    const store = createMemoryStore();
    expect(await seedIfEmpty(store, NOW)).toBe(seedDocuments.length);
    expect(await seedIfEmpty(store, NOW)).toBe(0);
    expect(await store.listDocuments()).toHaveLength(seedDocuments.length);
  });

  it('leaves a store that already has a document alone', async () => {
    const store = createMemoryStore();
    await store.createDocument({
      id: 'mine',
      title: 'Mine',
      department: 'Sales',
      content: '',
      createdBy: 'u-1',
      createdByName: 'Ann',
    });
    expect(await seedIfEmpty(store, NOW)).toBe(0);
    expect((await store.listDocuments()).map((d) => d.id)).toEqual(['mine']);
  });

  it('creates each seed once when two callers race', async () => {
    const store = createMemoryStore();
    const [a, b] = await Promise.all([seedIfEmpty(store, NOW), seedIfEmpty(store, NOW)]);
    expect(a + b).toBe(seedDocuments.length);
    expect(await store.listDocuments()).toHaveLength(seedDocuments.length);
  });
});
