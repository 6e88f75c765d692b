import { createMemoryStore } from '../../src/storage/memory-store.js';
import { describeDocumentStore } from './store-conformance.js';

describeDocumentStore('memory', async () => {
  const store = createMemoryStore();
  return { store, cleanup: () => store.close() };
});
