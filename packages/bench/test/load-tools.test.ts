import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { createClusterServices, ServicesUnavailableError } from '../src/load/cluster-services.js';
import { EditorSchedule } from '../src/load/editor-schedule.js';
import { clientFrame, FrameReader } from '../src/load/frame-reader.js';
import { LatencyHistogram } from '../src/load/histogram.js';
import { signToken } from '../src/load/jwt.js';
import { ChangeLedger, changeIdOf } from '../src/load/ledger.js';
import { targetOf } from '../src/load/load-target.js';
import { CpuWindow, processCpuSeconds, processesMemory, processMemory } from '../src/load/proc-stats.js';
import { parseMetrics } from '../src/load/server-metrics.js';
import type { BenchServer } from '../src/load/server-process.js';

describe('LatencyHistogram', () => {
  it('gives percentiles to 0.1 ms and keeps the true maximum', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 100; i++) h.record(i);
    h.record(123_456);
    const s = h.summary();
    expect(s.count).toBe(101);
    // Reported as the upper bound of the sample's 0.1 ms bucket.
    expect(s.p50).toBeGreaterThanOrEqual(51);
    expect(s.p50).toBeLessThanOrEqual(51.1 + 1e-9);
    expect(s.p95).toBeGreaterThanOrEqual(96);
    expect(s.p95).toBeLessThanOrEqual(96.1 + 1e-9);
    expect(s.max).toBe(123_456);
  });
});

describe('ChangeLedger', () => {
  it('counts deliveries per change, separates duplicates and unknown ids', () => {
    const ledger = ChangeLedger.create(2, 16);
    const a = ledger.issue(7, 0, 100, true);
    const b = ledger.issue(8, 0, 100, false);
    expect(changeIdOf(a)).toBe('b0');
    ledger.received(a, 110);
    ledger.received(a, 130);
    ledger.received(a, 140); // a third receipt by two observers: a duplicate
    ledger.received(b, 120);
    ledger.received(99, 120);
    expect(ledger.duplicateReceipts).toBe(1);
    expect(ledger.unknownReceipts).toBe(1);
    const d = ledger.deliveries(
      () => false,
      () => true,
    );
    expect(d).toEqual({ expected: 4, observed: 3, missing: 1, changesMissingDeliveries: 1 });
    // Only the measured change is timed.
    expect(ledger.latency.summary()).toMatchObject({ count: 3, max: 40 });
  });

  it('is one ledger on every thread that opens its memory, and refuses changes past its capacity', () => {
    const ledger = ChangeLedger.create(2, 2);
    const elsewhere = new ChangeLedger(ledger.memory);
    const a = ledger.issue(7, 0, 100, true);
    expect(elsewhere.sent).toBe(1);
    expect(elsewhere.senderOfChange(a)).toBe(7);
    elsewhere.received(a, 105);
    ledger.received(a, 107);
    expect(
      ledger.deliveries(
        () => false,
        () => true,
      ).observed,
    ).toBe(2);
    // Each thread keeps its own latencies; the main thread adds the others' at the end.
    expect(ledger.latency.count).toBe(1);
    ledger.latency.add(elsewhere.latency.state());
    expect(ledger.latency.summary()).toMatchObject({ count: 2, max: 7 });
    ledger.issue(8, 0, 110, true);
    expect(() => ledger.issue(9, 0, 120, true)).toThrow(/ledger full/);
  });
});

describe('signToken', () => {
  it('produces an HS256 JWT with sub, exp and write permission', () => {
    const token = signToken('secret', { userId: 'ana' }, 60);
    const [header, body, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'ana', permissions: ['document:*:write'] });
    expect(claims.exp - claims.iat).toBe(60);
    expect(signature).toBe(createHmac('sha256', 'secret').update(`${header}.${body}`).digest('base64url'));
  });
});

describe('proc stats', () => {
  it('reads CPU seconds and memory of a live process from /proc', () => {
    const cpu = processCpuSeconds(process.pid);
    const memory = processMemory(process.pid);
    expect(cpu).toBeGreaterThan(0);
    expect(memory.rss).toBeGreaterThan(1024 * 1024);
    expect(memory.peakRss).toBeGreaterThanOrEqual(memory.rss);
  });
});

describe('CpuWindow and processesMemory over several nodes', () => {
  it('count a process given twice once (in-process nodes share a pid) and measure named services', () => {
    const window = new CpuWindow([process.pid, process.pid], new Set(['node']));
    const until = performance.now() + 50;
    while (performance.now() < until); // burn some CPU
    const reading = window.read();
    expect(reading.perServerCpuPercent).toHaveLength(2);
    expect(reading.serverCpuPercent).toBeGreaterThan(0);
    expect(reading.serverCpuPercent).toBe(reading.perServerCpuPercent[0]);
    expect(reading.servicesCpuPercent.node).toBeGreaterThan(0);
    // Counted once: about one process's RSS, not two (it moves a little between the two reads).
    expect(processesMemory([process.pid, process.pid]).rss).toBeLessThan(
      processMemory(process.pid).rss * 1.5,
    );
  });
});

describe('cluster set-up', () => {
  const node = (secret: string): BenchServer => ({
    url: 'http://127.0.0.1:1',
    wsUrl: 'ws://127.0.0.1:1',
    pid: 1,
    secret,
    settings: {},
    stop: async () => undefined,
  });

  it('refuses nodes that do not share one secret', () => {
    expect(targetOf([node('a'), node('a')]).wsUrls).toHaveLength(2);
    expect(() => targetOf([node('a'), node('b')])).toThrow(/share one JWT secret/);
  });

  it('reports unreachable services as such, and refuses non-loopback ones', async () => {
    const closed = {
      databaseUrl: 'postgres://postgres@127.0.0.1:1/postgres',
      redisUrl: 'redis://127.0.0.1:1',
    };
    await expect(createClusterServices(closed)).rejects.toBeInstanceOf(ServicesUnavailableError);
    const remote = { ...closed, databaseUrl: 'postgres://postgres@db.example.com/postgres' };
    await expect(createClusterServices(remote)).rejects.toThrow(/loopback/);
  });
});

describe('parseMetrics', () => {
  it('reads the counters and the commitChanges / getChanges timings', () => {
    const text = [
      '# HELP collab_changes_committed_total Changes committed to storage',
      'collab_changes_committed_total 621',
      'collab_conflicts_total 10',
      'storage_operation_duration_seconds_sum{operation="commitChanges"} 5.5',
      'storage_operation_duration_seconds_count{operation="commitChanges"} 938',
      'storage_operation_duration_seconds_count{operation="getChanges"} 401',
      'storage_operation_duration_seconds_count{operation="ping"} 7',
    ].join('\n');
    expect(parseMetrics(text)).toEqual({
      changesCommitted: 621,
      conflicts: 10,
      transforms: 0,
      commitCalls: 938,
      commitSeconds: 5.5,
      getChangesCalls: 401,
      getChangesSeconds: 0,
    });
  });
});

/** ws's frame parser (exported by ws, not declared by @types/ws). */
const { Receiver } = ws as unknown as {
  Receiver: new (options: {
    isServer: boolean;
    maxPayload: number;
  }) => { on(event: 'message', listener: (data: Buffer) => void): void; write(chunk: Buffer): void };
};

describe('FrameReader and clientFrame (the light editors own WebSocket framing)', () => {
  /** A server frame as ws writes it: final, unmasked. */
  const serverFrame = (opcode: number, payload: Buffer): Buffer => {
    const n = payload.length;
    const head =
      n < 126
        ? Buffer.from([0x80 | opcode, n])
        : n < 65_536
          ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 0xff])
          : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigEndian64(n)]);
    return Buffer.concat([head, payload]);
  };
  const bigEndian64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    return b;
  };

  it('finds every frame, whatever the reads it arrives in', () => {
    const payloads = ['{"a":1}', 'é'.repeat(100), 'x'.repeat(70_000), ''].map((t) => Buffer.from(t));
    const bytes = Buffer.concat([
      serverFrame(1, payloads[0]!),
      serverFrame(9, Buffer.from('hb')),
      ...payloads.slice(1).map((p) => serverFrame(1, p)),
    ]);
    const expected = [
      [1, payloads[0]!.toString()],
      [9, 'hb'],
      ...payloads.slice(1).map((p) => [1, p.toString()]),
    ];
    for (const size of [1, 2, 3, 7, 100, 1000, 65_536, bytes.length]) {
      const got: [number, string][] = [];
      const reader = new FrameReader((opcode, payload) => got.push([opcode, payload.toString()]));
      // The chunk's memory is reused after each read, as with a shared read buffer.
      const shared = Buffer.alloc(size);
      for (let at = 0; at < bytes.length; at += size) {
        const n = bytes.copy(shared, 0, at, Math.min(bytes.length, at + size));
        reader.feed(shared.subarray(0, n));
        shared.fill(0);
      }
      expect(got, `reads of ${size} bytes`).toEqual(expected);
    }
  });

  it('refuses frames a server must not send', () => {
    const reader = new FrameReader(() => undefined);
    expect(() => reader.feed(Buffer.from([0x01, 0x00]))).toThrow(/fragmented/);
    expect(() => new FrameReader(() => undefined).feed(Buffer.from([0x81, 0x80, 0, 0, 0, 0]))).toThrow(
      /masked/,
    );
  });

  it('writes masked client frames a server (ws) decodes', () => {
    const texts = ['{"type":"document.change"}', 'ü'.repeat(200), 'y'.repeat(66_000)];
    const got: string[] = [];
    const receiver = new Receiver({ isServer: true, maxPayload: 1 << 20 });
    receiver.on('message', (data: Buffer) => got.push(data.toString()));
    for (const text of texts) receiver.write(clientFrame(1, Buffer.from(text), Buffer.from([1, 2, 3, 250])));
    expect(got).toEqual(texts);
  });
});

describe('EditorSchedule', () => {
  it('sends at the planned pace and stops on the first failure instead of throwing in a timer', async () => {
    const sent: number[] = [];
    const editor = { id: 1, doc: 0, sendChange: (index: number) => sent.push(index) };
    const ledger = ChangeLedger.create(1, 3); // room for three changes only
    const load = new EditorSchedule(
      [editor],
      { changesPerSecond: 200, initialLength: 10, insertText: 'x' },
      ledger,
    );
    load.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sent).toEqual([0, 1, 2]);
    expect(load.failure?.message).toMatch(/ledger full/);
    load.stop();
  });
});
