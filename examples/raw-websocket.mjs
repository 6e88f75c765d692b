// Edits a document over the raw WebSocket protocol, as any client in any language could.
// Usage (server running):  node examples/raw-websocket.mjs [documentId] [text]
import WebSocket from 'ws';

const base = process.env.JD_URL ?? 'http://localhost:3000';
const documentId = process.argv[2] ?? 'hello-world';
const text = process.argv[3] ?? 'Hello from a script! ';

// 1. A token from the development sign-in (production tokens come from your identity provider).
const login = await fetch(`${base}/api/auth/dev-login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'Script' }),
});
if (!login.ok) throw new Error(`dev-login failed: ${login.status} ${await login.text()}`);
const { token } = await login.json();

// 2. Create the document if it does not exist yet. Documents are created over REST only: opening
//    an id that does not exist over the WebSocket is refused (HTTP 404 DOCUMENT_NOT_FOUND).
const created = await fetch(`${base}/api/documents`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ id: documentId, title: 'Hello from a script' }),
});
if (created.status === 201) console.log(`created ${documentId} from the job description template`);
else if (created.status !== 409) throw new Error(`create failed: ${created.status} ${await created.text()}`);

// 3. Connect; the token travels in the subprotocol offer so it stays out of access logs.
const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws/document/${documentId}`, [
  'jd-collab.v1',
  `jd-collab.auth.${token}`,
]);
ws.on('message', (data) => {
  const messages = [JSON.parse(data.toString())].flat();
  for (const message of messages) {
    console.log(message.type, JSON.stringify(message.payload).slice(0, 200));
    if (message.type === 'document.open') {
      // 4. Insert at the start (op [text]); the server acks after storing it.
      ws.send(
        JSON.stringify({
          type: 'document.change',
          payload: { changeId: `script-${Date.now()}`, baseVersion: message.payload.version, op: [text] },
        }),
      );
    }
    if (message.type === 'document.change' && message.payload.ack) {
      console.log(`committed as version ${message.payload.version}`);
      ws.send(JSON.stringify({ type: 'sync.request', payload: {} }));
    }
    if (message.type === 'sync.response') ws.close();
  }
});
ws.on('unexpected-response', (_req, res) => console.error(`refused: HTTP ${res.statusCode}`));
