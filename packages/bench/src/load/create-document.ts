/**
 * Creates a benchmark document the way any client must: POST /api/documents (opening an id over
 * the WebSocket never creates it). The server fills in the job-description template; a document
 * that must start with other text gets it in one change at version 0, replacing the template.
 */
import { BenchClient } from './bench-client.js';
import { signToken } from './jwt.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `text`: the content to start with (undefined keeps the template). A user per document signs the
 * request, so creating many documents stays under the per-user REST limits.
 */
export async function createBenchDocument(
  wsUrl: string,
  secret: string,
  documentId: string,
  text?: string,
): Promise<void> {
  const token = signToken(secret, { userId: `setup-${documentId}` });
  const response = await fetch(`${wsUrl.replace(/^ws/, 'http')}/api/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: documentId, title: `Benchmark ${documentId}` }),
  });
  if (response.status !== 201) {
    throw new Error(`creating ${documentId}: HTTP ${response.status} ${await response.text()}`);
  }
  if (text === undefined) return;
  const { content } = (await response.json()) as { content: string };
  const length = [...content].length; // code points
  const op = [...(length > 0 ? [{ d: length }] : []), ...(text === '' ? [] : [text])];
  if (op.length === 0) return;
  const client = new BenchClient(-1, -1, { send: false, observe: false, full: true }, null, {
    wsUrl,
    documentId,
    token,
  });
  try {
    await client.opened;
    client.sendOp(`init-${documentId}`, 0, op);
    const deadline = Date.now() + 10_000;
    while (client.version < 1 && Date.now() < deadline) await sleep(5);
    if (client.version < 1) throw new Error(`document ${documentId}: initial change not acknowledged`);
  } finally {
    client.close();
  }
}
