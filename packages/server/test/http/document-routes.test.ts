import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobDescriptionTemplate } from '../../src/seed/index.js';
import { commit, createDoc, type TestApp, testApp } from './helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.close();
});

const WRITER = ['document:*:write'];
const READER = ['document:*:read'];

async function call(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  perms: string[] | null,
  body?: object,
  roles: string[] = [],
) {
  const headers = perms === null ? {} : await t.auth('u-caller', perms, roles);
  const res = await t.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body }) });
  return { status: res.statusCode, body: res.body === '' ? null : res.json(), headers: res.headers };
}

describe('authentication', () => {
  it.each([
    ['GET', '/api/documents'],
    ['POST', '/api/documents'],
    ['GET', '/api/documents/a'],
    ['PATCH', '/api/documents/a'],
    ['GET', '/api/documents/a/versions'],
    ['GET', '/api/documents/a/content'],
    ['DELETE', '/api/documents/a'],
  ] as const)('%s %s needs a bearer token', async (method, url) => {
    const res = await call(
      method,
      url,
      null,
      method === 'POST' || method === 'PATCH' ? { title: 'x' } : undefined,
    );
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('Bearer') });
  });

  it('refuses a token in the query string (REST takes the header only)', async () => {
    const { authorization } = await t.auth('u-1', WRITER);
    const res = await t.app.inject({ method: 'GET', url: `/api/documents?token=${authorization.slice(7)}` });
    expect(res.statusCode).toBe(401);
  });

  it('refuses a forged token', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/documents',
      headers: { authorization: 'Bearer a.b.c' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHORIZED');
  });
});

describe('GET /api/documents', () => {
  it('lists only the documents the user can read, most recently updated first', async () => {
    await createDoc(t.store, 'doc-a');
    await createDoc(t.store, 'doc-b');
    await createDoc(t.store, 'doc-c');
    await commit(t.store, 'doc-b', [['b']]);

    const all = await call('GET', '/api/documents', READER);
    expect(all.status).toBe(200);
    expect(all.body.documents.map((d: { id: string }) => d.id)[0]).toBe('doc-b');
    expect(all.body.documents).toHaveLength(3);
    expect(all.body.documents[0]).toMatchObject({
      id: 'doc-b',
      title: 'Title doc-b',
      department: 'Engineering',
      status: 'draft',
      version: 1,
      updatedBy: 'u-writer',
      updatedByName: 'Writer',
      canWrite: false,
      users: [],
    });

    const some = await call('GET', '/api/documents', ['document:doc-a:read', 'document:doc-c:write']);
    expect(
      some.body.documents.map((d: { id: string; canWrite: boolean }) => [d.id, d.canWrite]).sort(),
    ).toEqual([
      ['doc-a', false],
      ['doc-c', true],
    ]);

    const none = await call('GET', '/api/documents', []);
    expect(none.body.documents).toEqual([]);
  });
});

describe('POST /api/documents', () => {
  it('creates a document from the template with a generated id', async () => {
    const res = await call('POST', '/api/documents', WRITER, {
      title: '  Senior Data Engineer ',
      department: 'Data',
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^senior-data-engineer-[0-9a-f]{6}$/);
    expect(res.headers.location).toBe(`/api/documents/${res.body.id}`);
    expect(res.body).toMatchObject({
      title: 'Senior Data Engineer',
      department: 'Data',
      status: 'draft',
      version: 0,
      createdBy: 'u-caller',
      canWrite: true,
      content: jobDescriptionTemplate('Senior Data Engineer', 'Data'),
    });
    const stored = await t.store.getDocument(res.body.id);
    expect(stored).toMatchObject({ title: 'Senior Data Engineer', createdBy: 'u-caller' });
  });

  it('generates ids for titles that have no Latin letters', async () => {
    const res = await call('POST', '/api/documents', WRITER, { title: '软件工程师' });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^document-[0-9a-f]{6}$/);
  });

  it('creates with a given id, and answers 409 CONFLICT when it exists', async () => {
    const first = await call('POST', '/api/documents', WRITER, { title: 'Role', id: 'my-role' });
    expect(first.status).toBe(201);
    expect(first.body.id).toBe('my-role');
    const again = await call('POST', '/api/documents', WRITER, { title: 'Other', id: 'my-role' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('my-role') });
    expect((await t.store.getDocument('my-role'))?.title).toBe('Role');
  });

  it('needs write permission on the new id', async () => {
    expect((await call('POST', '/api/documents', READER, { title: 'Role' })).body.code).toBe('FORBIDDEN');
    const scoped = ['document:mine:write'];
    expect((await call('POST', '/api/documents', scoped, { title: 'Role', id: 'other' })).status).toBe(403);
    expect((await call('POST', '/api/documents', scoped, { title: 'Role' })).status).toBe(403);
    expect((await call('POST', '/api/documents', scoped, { title: 'Role', id: 'mine' })).status).toBe(201);
    expect(await t.store.listDocuments()).toHaveLength(1);
  });

  it.each([
    [{}, 'title'],
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ title: 'Role', department: 'd'.repeat(101) }, 'department'],
    [{ title: 'Role', id: 'not valid!' }, 'id'],
    [{ title: 'Role', id: 'x'.repeat(129) }, 'id'],
    [{ title: 'Role', owner: 'me' }, 'owner'],
  ])('refuses %j with INVALID_MESSAGE naming %s', async (body, field) => {
    const res = await call('POST', '/api/documents', WRITER, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_MESSAGE');
    expect(res.body.message).toContain(field);
    expect(await t.store.listDocuments()).toHaveLength(0);
  });

  it('refuses a body that is too large with MESSAGE_TOO_LARGE', async () => {
    const res = await call('POST', '/api/documents', WRITER, { title: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('MESSAGE_TOO_LARGE');
  });
});

describe('GET /api/documents/:id', () => {
  it('returns metadata and the current content (snapshot + later changes)', async () => {
    await createDoc(t.store, 'doc-a', 'Hello');
    await commit(t.store, 'doc-a', [
      [5, ' World'],
      [{ d: 1 }, 'h'],
      [11, ' 🌍'],
    ]);
    const res = await call('GET', '/api/documents/doc-a', READER);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'doc-a', version: 3, content: 'hello World 🌍', canWrite: false });
  });

  it('answers 404 DOCUMENT_NOT_FOUND for a readable id that does not exist', async () => {
    const res = await call('GET', '/api/documents/missing', READER);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('DOCUMENT_NOT_FOUND');
  });

  it('answers 403 FORBIDDEN without read permission, whether or not the document exists', async () => {
    await createDoc(t.store, 'doc-a');
    const perms = ['document:doc-b:write'];
    expect((await call('GET', '/api/documents/doc-a', perms)).body.code).toBe('FORBIDDEN');
    expect((await call('GET', '/api/documents/missing', perms)).body.code).toBe('FORBIDDEN');
  });

  it('answers 400 INVALID_DOCUMENT_ID for an id outside the allowed characters', async () => {
    const res = await call('GET', '/api/documents/bad%20id', READER);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_DOCUMENT_ID');
  });

  it('accepts ids of 128 characters', async () => {
    const id = 'a'.repeat(128);
    await createDoc(t.store, id);
    expect((await call('GET', `/api/documents/${id}`, READER)).status).toBe(200);
  });
});

describe('PATCH /api/documents/:id', () => {
  it('updates title, status and department and records who did', async () => {
    await createDoc(t.store, 'doc-a');
    const res = await call('PATCH', '/api/documents/doc-a', WRITER, {
      title: 'New',
      status: 'review',
      department: 'Ops',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'doc-a',
      title: 'New',
      status: 'review',
      department: 'Ops',
      updatedBy: 'u-caller',
    });
    expect(await t.store.getDocument('doc-a')).toMatchObject({
      title: 'New',
      status: 'review',
      updatedByName: 'Name of u-caller',
    });
  });

  it('needs write permission', async () => {
    await createDoc(t.store, 'doc-a');
    const res = await call('PATCH', '/api/documents/doc-a', READER, { title: 'New' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect((await t.store.getDocument('doc-a'))?.title).toBe('Title doc-a');
  });

  it('answers 404 for a missing document', async () => {
    expect((await call('PATCH', '/api/documents/missing', WRITER, { title: 'New' })).body.code).toBe(
      'DOCUMENT_NOT_FOUND',
    );
  });

  it.each([[{}], [{ status: 'archived' }], [{ title: '' }], [{ version: 3 }]])('refuses %j', async (body) => {
    await createDoc(t.store, 'doc-a');
    const res = await call('PATCH', '/api/documents/doc-a', WRITER, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_MESSAGE');
  });
});

describe('GET /api/documents/:id/versions', () => {
  it('lists named versions', async () => {
    await createDoc(t.store, 'doc-a', 'x');
    await commit(t.store, 'doc-a', [['a']]);
    await t.store.saveNamedVersion({
      id: 'v-1',
      documentId: 'doc-a',
      name: 'Sent to legal',
      version: 1,
      createdBy: 'u-1',
      createdByName: 'One',
      createdAt: 1000,
    });
    const res = await call('GET', '/api/documents/doc-a/versions', READER);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      documentId: 'doc-a',
      versions: [
        {
          id: 'v-1',
          documentId: 'doc-a',
          name: 'Sent to legal',
          version: 1,
          createdBy: 'u-1',
          createdByName: 'One',
          createdAt: 1000,
        },
      ],
    });
  });

  it('answers 404 for a missing document and 403 without permission', async () => {
    expect((await call('GET', '/api/documents/missing/versions', READER)).status).toBe(404);
    expect((await call('GET', '/api/documents/missing/versions', [])).status).toBe(403);
  });
});

describe('GET /api/documents/:id/content', () => {
  beforeEach(async () => {
    await createDoc(t.store, 'doc-a', 'ab');
    await commit(t.store, 'doc-a', [
      [2, 'c'],
      [3, 'd'],
    ]);
    // a snapshot in the middle of the history, as the collaboration core stores them
    await t.store.saveSnapshot({ documentId: 'doc-a', version: 2, content: 'abcd', createdAt: Date.now() });
    await commit(t.store, 'doc-a', [[4, 'e'], [{ d: 1 }]]);
  });

  it.each([
    ['0', 'ab'],
    ['1', 'abc'],
    ['2', 'abcd'],
    ['3', 'abcde'],
    ['4', 'bcde'],
  ])('rebuilds version %s', async (version, content) => {
    const res = await call('GET', `/api/documents/doc-a/content?version=${version}`, READER);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ documentId: 'doc-a', version: Number(version), content });
  });

  it('returns the latest version without ?version', async () => {
    expect((await call('GET', '/api/documents/doc-a/content', READER)).body).toEqual({
      documentId: 'doc-a',
      version: 4,
      content: 'bcde',
    });
  });

  it('answers 404 VERSION_NOT_FOUND past the latest version', async () => {
    const res = await call('GET', '/api/documents/doc-a/content?version=5', READER);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: 'VERSION_NOT_FOUND',
      message: expect.stringContaining('latest is 4'),
    });
  });

  it.each(['-1', 'abc', '1.5', '99999999999999999999'])('answers 400 for version=%s', async (version) => {
    const res = await call('GET', `/api/documents/doc-a/content?version=${version}`, READER);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_MESSAGE');
  });

  it('answers 404 DOCUMENT_NOT_FOUND and 403 FORBIDDEN', async () => {
    expect((await call('GET', '/api/documents/missing/content?version=0', READER)).body.code).toBe(
      'DOCUMENT_NOT_FOUND',
    );
    expect((await call('GET', '/api/documents/doc-a/content', ['document:other:read'])).body.code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('DELETE /api/documents/:id', () => {
  it('lets an admin delete a document', async () => {
    await createDoc(t.store, 'doc-a');
    const res = await call('DELETE', '/api/documents/doc-a', [], undefined, ['admin']);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect(await t.store.getDocument('doc-a')).toBeNull();
    expect((await call('GET', '/api/documents/doc-a', [], undefined, ['admin'])).status).toBe(404);
  });

  it('refuses everyone else, writers included', async () => {
    await createDoc(t.store, 'doc-a');
    const res = await call('DELETE', '/api/documents/doc-a', ['document:*:write', 'document:doc-a:write']);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(await t.store.getDocument('doc-a')).not.toBeNull();
  });

  it('answers 404 for a missing document', async () => {
    const res = await call('DELETE', '/api/documents/missing', [], undefined, ['admin']);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('DOCUMENT_NOT_FOUND');
  });
});

describe('storage failures', () => {
  it('answers 503 STORAGE_UNAVAILABLE when the store is closed', async () => {
    await t.store.close();
    const res = await call('GET', '/api/documents', READER);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('STORAGE_UNAVAILABLE');
  });
});
