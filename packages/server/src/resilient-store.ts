/**
 * Wraps any DocumentStore so every call has a timeout and a circuit breaker (resilient-policy.ts),
 * like instrumented-store.ts wraps it for timing: the backends and the collaboration core stay
 * unchanged. Reads and writes have a breaker each, because they fail apart: a SQLite disk whose
 * fsync hangs stalls every write while reads still answer; with one breaker the reads' successes
 * would keep closing it. Reads are retried a little after quick errors; writes never are.
 *
 * init() and close() pass straight through: start-up has its own deadline (storage-startup.ts),
 * and closing must happen whatever a breaker says. ping() (for /readyz) is refused while either
 * breaker is open, so a node that cannot store reports itself not ready.
 */
import { type Guard, probe } from './resilient-policy.js';
import { isStoreError } from './storage/store-errors.js';
import type { DocumentStore } from './storage/types.js';

export interface StoreGuards {
  read: Guard;
  write: Guard;
}

/** Contract errors (a StoreError) are the caller's; anything else means the backend failed. */
export function isStoreFailure(error: unknown): boolean {
  return !isStoreError(error);
}

export function resilientStore(store: DocumentStore, guards: StoreGuards): DocumentStore {
  const { read, write } = guards;
  return {
    kind: store.kind,
    init: () => store.init(),
    close: () => store.close(),
    // Either breaker open means the node cannot serve edits; the ping itself is a read.
    ping: () => probe([read, write], () => store.ping()),
    createDocument: (doc) => write.write(() => store.createDocument(doc)),
    getDocument: (id) => read.read(() => store.getDocument(id)),
    listDocuments: () => read.read(() => store.listDocuments()),
    updateDocument: (id, patch) => write.write(() => store.updateDocument(id, patch)),
    deleteDocument: (id) => write.write(() => store.deleteDocument(id)),
    findDocument: (id) => read.read(() => store.findDocument(id)),
    trashDocument: (id, request) => write.write(() => store.trashDocument(id, request)),
    restoreDocument: (id) => write.write(() => store.restoreDocument(id)),
    listTrash: () => read.read(() => store.listTrash()),
    purgeTrash: (deletedBefore) => write.write(() => store.purgeTrash(deletedBefore)),
    commitChanges: (documentId, expectedVersion, changes) =>
      write.write(() => store.commitChanges(documentId, expectedVersion, changes)),
    getChanges: (documentId, fromVersion, toVersion) =>
      read.read(() => store.getChanges(documentId, fromVersion, toVersion)),
    findChange: (documentId, userId, changeId) =>
      read.read(() => store.findChange(documentId, userId, changeId)),
    lastVersionBefore: (documentId, time) => read.read(() => store.lastVersionBefore(documentId, time)),
    deleteChangesThrough: (documentId, throughVersion) =>
      write.write(() => store.deleteChangesThrough(documentId, throughVersion)),
    saveSnapshot: (snapshot) => write.write(() => store.saveSnapshot(snapshot)),
    getSnapshot: (documentId, atOrBefore) => read.read(() => store.getSnapshot(documentId, atOrBefore)),
    saveNamedVersion: (version) => write.write(() => store.saveNamedVersion(version)),
    listNamedVersions: (documentId) => read.read(() => store.listNamedVersions(documentId)),
  };
}
