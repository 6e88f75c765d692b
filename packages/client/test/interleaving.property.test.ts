/**
 * Property (issue 20, defect 4): people who type at the same spot at the same moment each keep
 * their run of text contiguous ("[A][B]" or "[B][A]", never "[[A]B]"), in every client and on the
 * server, whatever the timing.
 *
 * Through the real client library and the real server: two or three clients put their caret at one
 * shared position and type a run character by character at their caret, which the library maps
 * through everyone else's edits (a caret stays before a remote insert at its position), with random
 * pauses, so keystrokes cross in flight in every order. Insert ties at one position go by author
 * (@jd-collab/ot tieSide), on the server and in the client alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codePointLength } from '@jd-collab/ot';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTokenService } from '../../server/src/auth/tokens.js';
import { loadConfig } from '../../server/src/config.js';
import { type RunningServer, startServer } from '../../server/src/server.js';
import { CollabClient } from '../src/index.js';

const SECRET = 'interleaving-property-secret-0123456789abcdef';
const INITIAL = 'Responsibilities: | end';
const SPOT = INITIAL.indexOf('|');

let dataDir: string;
let server: RunningServer;
const tokens = createTokenService(SECRET);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jd-interleave-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET: SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WEB_DIR: join(dataDir, 'no-web-app'),
    SQLITE_SYNCHRONOUS: 'normal',
    RATE_LIMIT_PER_SECOND: '1000',
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  server = await startServer(config, { seed: false });
});

afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openClient(documentId: string, name: string, eager: boolean): Promise<CollabClient> {
  const token = await tokens.sign({ sub: name, name, permissions: ['document:*:write'], roles: [] }, 3600);
  const client = new CollabClient({
    url: server.url.replace(/^http/, 'ws'),
    documentId,
    getToken: () => token,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    // Eager: every keystroke its own frame at once (the most crossing in flight); else the
    // library's batching, as in the browser (keystrokes composed while one change is in flight).
    ...(eager ? { batch: { maxDelayMs: 0, minIntervalMs: 0 } } : {}),
  });
  await new Promise<void>((resolve) => {
    if (client.isOpen) resolve();
    else client.on('open', () => resolve());
  });
  return client;
}

/** Types `run` one character at a time at the client's caret, pausing as `delays` says. */
async function typeRun(client: CollabClient, run: string, delays: readonly number[]): Promise<void> {
  let i = 0;
  for (const ch of run) {
    const at = client.selection?.head ?? 0;
    client.applyLocalChange(at > 0 ? [at, ch] : [ch]);
    client.setSelection(at + 1, at + 1);
    const delay = delays[i++ % delays.length]!;
    if (delay > 0) await pause(delay);
  }
}

let run = 0;

describe('runs typed at one spot at the same moment (property)', () => {
  it('never interleave, in any client or on the server', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 3 }),
        fc.array(fc.array(fc.nat(12), { minLength: 1, maxLength: 6 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.nat(15), { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        async (people, delays, starts, eager) => {
          const documentId = `interleave-${++run}`;
          await server.store.createDocument({
            id: documentId,
            title: 'Interleaving',
            department: 'Test',
            content: INITIAL,
            createdBy: 'test',
            createdByName: 'Test',
          });
          const names = ['ana', 'ben', 'cho'].slice(0, people);
          const clients = await Promise.all(names.map((name) => openClient(documentId, name, eager)));
          try {
            for (const client of clients) client.setSelection(SPOT, SPOT);
            const runs = names.map((name) => `[${name.toUpperCase()} ${name} typed this]`);
            await Promise.all(
              clients.map(async (client, i) => {
                await pause(starts[i]!);
                await typeRun(client, runs[i]!, delays[i]!);
              }),
            );
            await Promise.all(clients.map((c) => c.whenSynced()));
            await expect
              .poll(() => clients.every((c) => c.text === clients[0]!.text && c.state.pendingCount === 0), {
                timeout: 10_000,
              })
              .toBe(true);
            const text = clients[0]!.text;
            for (const r of runs) expect(text.split(r).length - 1, `${r} in ${text}`).toBe(1);
            // Everything else is where it was.
            const rest = runs.reduce((t, r) => t.replace(r, ''), text);
            expect(rest).toBe(INITIAL);
            expect(codePointLength(text)).toBe(codePointLength(INITIAL) + runs.join('').length);
          } finally {
            for (const client of clients) client.close();
          }
        },
      ),
      { numRuns: 25, seed: 20 },
    );
  }, 120_000);
});
