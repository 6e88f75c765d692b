/**
 * The server as a process: exit codes, signals, and durability of acknowledged changes when the
 * process is killed with SIGKILL mid-session and started again on the same data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDocumentOverHttp } from '../support/documents.js';
import {
  createServerProcess,
  devLogin,
  documentContent,
  runMainOnce,
  type ServerProcess,
} from './server-process.js';

let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

interface Frame {
  type: string;
  payload: Record<string, unknown>;
}

function frames(data: WebSocket.RawData): Frame[] {
  const parsed = JSON.parse(data.toString()) as Frame | Frame[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

/**
 * One writer: inserts a unique token at position 0, one change in flight at a time, each based on
 * the latest version it has heard of (the server transforms). Records which changes were acked.
 */
function startWriter(wsUrl: string, token: string, documentId: string, name: string) {
  const acked = new Set<string>();
  const sent = new Set<string>();
  const ws = new WebSocket(`${wsUrl}/ws/document/${documentId}`, ['jd-collab.v1', `jd-collab.auth.${token}`]);
  let version = 0;
  let seq = 0;
  let inflight: string | null = null;
  const sendNext = () => {
    if (ws.readyState !== WebSocket.OPEN) return;
    const text = `[${name}-${++seq}]`;
    inflight = text;
    sent.add(text);
    ws.send(
      JSON.stringify({
        type: 'document.change',
        payload: { changeId: `${name}-${seq}`, baseVersion: version, op: [text] },
      }),
    );
  };
  ws.on('message', (data) => {
    for (const f of frames(data)) {
      if (typeof f.payload.version === 'number') version = Math.max(version, f.payload.version);
      if (f.type === 'document.open') sendNext();
      if (f.type === 'document.change' && f.payload.ack === true && inflight) {
        acked.add(inflight);
        inflight = null;
        sendNext();
      }
    }
  });
  ws.on('error', () => {});
  return { acked, sent, ws };
}

describe('server process', () => {
  it('refuses to start in production without JWT_SECRET, with a clear message', async () => {
    const result = await runMainOnce({ NODE_ENV: 'production', PORT: '0', DATA_DIR: '/tmp/jd-never-used' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/JWT_SECRET is required/);
  });

  it('stops gracefully on SIGTERM: system.reconnect, close 1012, exit 0', async () => {
    server = await createServerProcess();
    await server.start();
    const token = await devLogin(server.url, 'Ada');
    await createDocumentOverHttp(server.url, token, 'sigterm-doc');
    const ws = new WebSocket(`${server.wsUrl}/ws/document/sigterm-doc`, [
      'jd-collab.v1',
      `jd-collab.auth.${token}`,
    ]);
    const seen: string[] = [];
    ws.on('message', (data) => {
      for (const f of frames(data)) seen.push(f.type);
    });
    await new Promise<void>((resolve) => ws.on('message', () => resolve()));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    const started = Date.now();
    const exit = await server.kill('SIGTERM');
    expect(exit.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await closed).toBe(1012);
    expect(seen).toContain('system.reconnect');
  });

  it('keeps every acknowledged change through SIGKILL and restart', async () => {
    // Writers send as fast as acks return; the rate limit is not what this test is about.
    server = await createServerProcess({ RATE_LIMIT_PER_SECOND: '100000', RATE_LIMIT_PER_MINUTE: '1000000' });
    await server.start();
    const token = await devLogin(server.url, 'Grace');
    // Created over REST from the template; the writers insert before it, at position 0.
    const template = await createDocumentOverHttp(server.url, token, 'durability');
    const writers = ['a', 'b', 'c', 'd'].map((n) => startWriter(server!.wsUrl, token, 'durability', n));
    // Let them commit a good number of changes, then kill the process without warning.
    await expect
      .poll(() => writers.reduce((n, w) => n + w.acked.size, 0), { timeout: 20_000, interval: 20 })
      .toBeGreaterThan(120);
    const exit = await server.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    const acked = writers.flatMap((w) => [...w.acked]);
    const sent = writers.flatMap((w) => [...w.sent]);

    await server.start();
    const content = await documentContent(server.url, token, 'durability');
    const present = content.match(/\[[a-d]-\d+\]/g) ?? [];
    const counts = new Map<string, number>();
    for (const t of present) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const t of acked) expect(counts.get(t), `acked ${t} must be stored once`).toBe(1);
    // Changes in flight at the kill may or may not have been committed, but never twice.
    for (const [t, n] of counts) {
      expect(sent).toContain(t);
      expect(n).toBe(1);
    }
    expect(content).toBe(present.join('') + template);
  });
});
