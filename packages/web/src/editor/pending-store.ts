/**
 * The browser's store of unsent edits (IndexedDB, owned per tab through Web Locks), shared by every
 * editor page of this tab. Null where IndexedDB or Web Locks are missing: edits then live in the tab
 * only, and closing it asks first (use-unsaved-warning.ts).
 */
import { IndexedDbPendingStore, type PendingStore } from '@jd-collab/client';

let store: PendingStore | null | undefined;

export function pendingStore(): PendingStore | null {
  if (store === undefined) {
    const supported = typeof indexedDB !== 'undefined' && typeof navigator.locks !== 'undefined';
    store = supported ? new IndexedDbPendingStore() : null;
  }
  return store;
}
