import type { DocumentStore } from '../storage/types.js';
import { seedDocuments } from './job-descriptions.js';

export const SEED_AUTHOR = { id: 'system', name: 'System' } as const;

/**
 * Creates the example job descriptions when the store holds no document at all, so a fresh
 * installation is not empty but an existing one is never touched. Returns how many it created
 * (0 when the store had documents, or when another process seeded at the same moment).
 */
export async function seedIfEmpty(store: DocumentStore, now: number = Date.now()): Promise<number> {
  if ((await store.listDocuments()).length > 0) return 0;
  let created = 0;
  for (const seed of seedDocuments) {
    const inserted = await store.createDocument({
      ...seed,
      createdBy: SEED_AUTHOR.id,
      createdByName: SEED_AUTHOR.name,
      createdAt: now,
    });
    if (inserted) created++;
  }
  return created;
}
