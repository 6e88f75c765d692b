/**
 * Documents for tests. Opening an id over the WebSocket never creates it (only POST
 * /api/documents does), so a test creates the documents it opens: in-process through the store,
 * against a server process through the REST API.
 */
import WebSocket from 'ws';
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
 * content); `httpUrl` is the server's http(s) base. Resolves with its content ('' when the id
 * existed already: 409 is accepted).
 */
export async function createDocumentOverHttp(httpUrl: string, token: string, id: string): Promise<string> {
  const response = await fetch(`${httpUrl.replace(/^ws/, 'http').replace(/\/+$/, '')}/api/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: `Test ${id}`, id }),
  });
  if (response.status !== 201 && response.status !== 409) {
    throw new Error(`POST /api/documents ${id}: ${response.status} ${await response.text()}`);
  }
  return response.status === 201 ? ((await response.json()) as { content: string }).content : '';
}

/**
 * Creates an empty document on a server process: POST /api/documents (which fills in the
 * template), then one document.change that deletes the template, so tests that check "the text is
 * exactly what the writers typed" keep their meaning.
 */
export async function createEmptyDocumentOverHttp(httpUrl: string, token: string, id: string): Promise<void> {
  const template = await createDocumentOverHttp(httpUrl, token, id);
  const length = [...template].length; // code points
  if (length === 0) return;
  const wsUrl = `${httpUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/ws/document/${id}`;
  const ws = new WebSocket(wsUrl, ['jd-collab.v1', `jd-collab.auth.${token}`]);
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data) => {
      const parsed = JSON.parse(data.toString()) as Frame | Frame[];
      for (const frame of Array.isArray(parsed) ? parsed : [parsed]) {
        if (frame.type === 'document.open') {
          const change = { changeId: `empty-${id}`, baseVersion: 0, op: [{ d: length }] };
          ws.send(JSON.stringify({ type: 'document.change', payload: change }));
        } else if (frame.type === 'document.change' && frame.payload.ack === true) resolve();
        else if (frame.type === 'system.error') reject(new Error(JSON.stringify(frame.payload)));
      }
    });
  });
  ws.close();
}

interface Frame {
  type: string;
  payload: { ack?: boolean };
}
