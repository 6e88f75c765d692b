/**
 * Wraps any DocumentStore so every operation is timed in storage_operation_duration_seconds.
 * Doing it here, once, keeps timing out of both the backends and their callers.
 */
import type { Metrics } from './metrics.js';
import type { DocumentStore } from './storage/types.js';

export function instrumentStore(store: DocumentStore, metrics: Metrics): DocumentStore {
  const histogram = metrics.storageLatency;
  const time = <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    const end = histogram.startTimer({ operation });
    return run().finally(() => end());
  };
  return {
    kind: store.kind,
    init: () => time('init', () => store.init()),
    close: () => time('close', () => store.close()),
    ping: () => time('ping', () => store.ping()),
    createDocument: (doc) => time('createDocument', () => store.createDocument(doc)),
    getDocument: (id) => time('getDocument', () => store.getDocument(id)),
    listDocuments: () => time('listDocuments', () => store.listDocuments()),
    updateDocument: (id, patch) => time('updateDocument', () => store.updateDocument(id, patch)),
    deleteDocument: (id) => time('deleteDocument', () => store.deleteDocument(id)),
    findDocument: (id) => time('findDocument', () => store.findDocument(id)),
    trashDocument: (id, request) => time('trashDocument', () => store.trashDocument(id, request)),
    restoreDocument: (id) => time('restoreDocument', () => store.restoreDocument(id)),
    listTrash: () => time('listTrash', () => store.listTrash()),
    purgeTrash: (deletedBefore) => time('purgeTrash', () => store.purgeTrash(deletedBefore)),
    commitChanges: (documentId, expectedVersion, changes) =>
      time('commitChanges', () => store.commitChanges(documentId, expectedVersion, changes)),
    getChanges: (documentId, fromVersion, toVersion) =>
      time('getChanges', () => store.getChanges(documentId, fromVersion, toVersion)),
    findChange: (documentId, userId, changeId) =>
      time('findChange', () => store.findChange(documentId, userId, changeId)),
    lastVersionBefore: (documentId, time_) =>
      time('lastVersionBefore', () => store.lastVersionBefore(documentId, time_)),
    deleteChangesThrough: (documentId, throughVersion) =>
      time('deleteChangesThrough', () => store.deleteChangesThrough(documentId, throughVersion)),
    saveSnapshot: (snapshot) => time('saveSnapshot', () => store.saveSnapshot(snapshot)),
    getSnapshot: (documentId, atOrBefore) =>
      time('getSnapshot', () => store.getSnapshot(documentId, atOrBefore)),
    saveNamedVersion: (version) => time('saveNamedVersion', () => store.saveNamedVersion(version)),
    listNamedVersions: (documentId) => time('listNamedVersions', () => store.listNamedVersions(documentId)),
  };
}
