import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../src/load/histogram.js';
import { signToken } from '../src/load/jwt.js';
import { ChangeLedger, changeIdOf } from '../src/load/ledger.js';
import { processCpuSeconds, processMemory } from '../src/load/proc-stats.js';

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
    const ledger = new ChangeLedger(() => 2);
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
