/**
 * Text no storage can hold (U+0000, a lone surrogate) in a title or department is refused at the
 * edge with 400 INVALID_MESSAGE, like the same text over the WebSocket, not passed on to the
 * store (which refused it with a 500). The document stays as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc, type TestApp, testApp } from './helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.close();
});

const WRITER = ['document:*:write'];
const BAD = [
  ['U+0000', 'a\u0000b'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', 'x\udc00y'],
  ['a reversed pair', '\udc00\ud83d'],
] as const;

async function send(method: 'POST' | 'PATCH', url: string, body: object) {
  const headers = await t.auth('u-writer', WRITER);
  const res = await t.app.inject({ method, url, headers, payload: body });
  return { status: res.statusCode, body: res.json() as { code: string; message: string } };
}

describe.each(['title', 'department'] as const)('%s with text no storage can hold', (field) => {
  it.each(BAD)('POST /api/documents refuses %s with 400 INVALID_MESSAGE', async (_what, bad) => {
    const body = field === 'title' ? { title: bad, id: 'new-doc' } : { title: 'Role', department: bad };
    const res = await send('POST', '/api/documents', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_MESSAGE');
    expect(res.body.message).toContain(field);
    expect(await t.store.listDocuments()).toEqual([]);
  });

  it.each(BAD)(
    'PATCH /api/documents/:id refuses %s and leaves the document as it was',
    async (_what, bad) => {
      await createDoc(t.store, 'doc-a');
      const before = await t.store.getDocument('doc-a');
      const res = await send('PATCH', '/api/documents/doc-a', { [field]: bad, status: 'review' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_MESSAGE');
      expect(res.body.message).toContain(field);
      expect(await t.store.getDocument('doc-a')).toEqual(before);
    },
  );
});

it('still takes well-formed text with astral characters and other scripts', async () => {
  await createDoc(t.store, 'doc-a');
  const res = await send('PATCH', '/api/documents/doc-a', {
    title: 'Ingénieur 🚀 工程师',
    department: 'R&D 😀',
  });
  expect(res.status).toBe(200);
  expect(await t.store.getDocument('doc-a')).toMatchObject({
    title: 'Ingénieur 🚀 工程师',
    department: 'R&D 😀',
  });
});
