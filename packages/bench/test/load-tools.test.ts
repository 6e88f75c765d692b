import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createClusterServices, ServicesUnavailableError } from '../src/load/cluster-services.js';
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
