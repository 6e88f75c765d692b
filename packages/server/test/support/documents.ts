/**
 * Documents for tests. Opening an id over the WebSocket never creates it (only POST
 * /api/documents does), so a test creates the documents it opens: in-process through the store,
 * against a server process through the REST API.
 */
import type { DocumentStore } from '../../src/storage/types.js';

/**
 * Creates an empty document (title "Untitled", no content) unless the id exists; the shape the
 * WebSocket used to create on first open, so tests written against that keep their meaning.
 */
export async function ensureDocument(store: DocumentStore, id: string, content = ''): Promise<void> {
  await store.createDocument({
    id,
    title: 'Untitled',
    department: '',
    content,
    createdBy: 'test',
    createdByName: 'Test',
  });
}

/**
 * Creates a document over REST (`POST /api/documents`, the job-description template as its
 * content); `httpUrl` is the server's http(s) base. Resolves with its content; 409 (the id exists)
 * is accepted.
 */
export async function createDocumentOverHttp(httpUrl: string, token: string, id: string): Promise<void> {
  const response = await fetch(`${httpUrl.replace(/^ws/, 'http').replace(/\/+$/, '')}/api/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: `Test ${id}`, id }),
  });
  if (response.status !== 201 && response.status !== 409) {
    throw new Error(`POST /api/documents ${id}: ${response.status} ${await response.text()}`);
  }
}
