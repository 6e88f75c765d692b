/**
 * The REST client against the real server (SQLite in a temp directory, port 0), plus two tiny
 * HTTP servers for what a real jd-collab server never does: answer HTML, or not answer at all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { type RunningServer, startServer } from '../../server/src/server.js';
import { ApiError, createApi } from '../src/api.js';

let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'jd-collab-web-api-'));
  server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET: 'api-test-secret-long-enough-for-hs256-0123456789',
      LOG_LEVEL: 'silent',
      WEB_DIR: join(dataDir, 'no-web-app'),
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const http = createServer(handler);
  return new Promise((resolve) =>
    http.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, server: http }),
    ),
  );
}

describe('REST client', () => {
  it('signs in, creates a job description from the template and renames it', async () => {
    let token: string | null = null;
    const api = createApi({ baseUrl: server.url, getToken: () => token });
    const login = await api.devLogin('Zoë Martín');
    token = login.token;
    expect(login.user).toMatchObject({ id: 'u-zoe-martin', name: 'Zoë Martín' });
    expect((await api.me()).user.name).toBe('Zoë Martín');

    const created = await api.createDocument({ title: 'Payroll Specialist', department: 'Finance' });
    expect(created.content).toContain('# Payroll Specialist');
    expect(created.status).toBe('draft');
    const renamed = await api.updateDocument(created.id, {
      title: 'Senior Payroll Specialist',
      status: 'review',
    });
    expect(renamed).toMatchObject({
      title: 'Senior Payroll Specialist',
      status: 'review',
      updatedByName: 'Zoë Martín',
    });
    expect((await api.listDocuments()).map((d) => d.id)).toContain(created.id);
    expect(await api.listVersions(created.id)).toEqual([]);
    expect((await api.getContent(created.id, 0)).content).toBe(created.content);
  });

  it("reports the server's error code and message", async () => {
    const { token } = await createApi({ baseUrl: server.url, getToken: () => null }).devLogin('Ana');
    const api = createApi({ baseUrl: server.url, getToken: () => token });
    const missing = await rejection(api.getDocument('no-such-document'));
    expect(missing).toMatchObject({ code: 'DOCUMENT_NOT_FOUND', status: 404 });
    expect(missing.message).toContain('no-such-document');
    const invalid = await rejection(api.createDocument({ title: '   ' }));
    expect(invalid).toMatchObject({ code: 'INVALID_MESSAGE', status: 400 });
    expect(invalid.message).toContain('title');
    const tooNew = await rejection(api.getContent((await api.listDocuments())[0]!.id, 999_999));
    expect(tooNew).toMatchObject({ code: 'VERSION_NOT_FOUND', status: 404 });
  });

  it('calls onUnauthorized for a bad token and throws an auth error', async () => {
    const seen: ApiError[] = [];
    const api = createApi({
      baseUrl: server.url,
      getToken: () => 'not-a-jwt',
      onUnauthorized: (e) => seen.push(e),
    });
    const error = await rejection(api.listDocuments());
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401, isAuthError: true });
    expect(seen).toEqual([error]);
  });

  it('turns an unreachable server into NETWORK_ERROR', async () => {
    const closed = await listen(() => undefined);
    await new Promise((resolve) => closed.server.close(resolve));
    const error = await rejection(createApi({ baseUrl: closed.url, getToken: () => null }).me());
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });

  it('turns a non-JSON answer (a proxy error page) into BAD_RESPONSE with its status', async () => {
    const proxy = await listen((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
    });
    try {
      const error = await rejection(createApi({ baseUrl: proxy.url, getToken: () => null }).listDocuments());
      expect(error).toMatchObject({ code: 'BAD_RESPONSE', status: 502 });
      const ok = await listen((_req, res) => res.writeHead(200).end('not json'));
      try {
        const bad = await rejection(createApi({ baseUrl: ok.url, getToken: () => null }).me());
        expect(bad).toMatchObject({ code: 'BAD_RESPONSE', status: 200 });
      } finally {
        ok.server.close();
      }
    } finally {
      proxy.server.close();
    }
  });

  it('gives up on a server that does not answer with TIMEOUT', async () => {
    const silent = await listen(() => undefined); // accepts, never answers
    try {
      const api = createApi({ baseUrl: silent.url, getToken: () => null, timeoutMs: 200 });
      expect(await rejection(api.me())).toMatchObject({ code: 'TIMEOUT', status: 0 });
    } finally {
      silent.server.closeAllConnections();
      silent.server.close();
    }
  });
});
