import { afterEach, describe, expect, it } from 'vitest';
import { contentOf, type Harness, msg, startHarness } from './harness.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('rate limiting', () => {
  it('refuses frames over the per-second limit with retryAfter, and closes 1008 on sustained abuse', async () => {
    h = await startHarness({ config: { rateLimitPerSecond: 3, rateLimitPerMinute: 100 } });
    const c = await h.connect('doc-rate');
    await c.nextOf('document.open');
    for (let i = 0; i < 3; i++) c.send({ type: 'system.heartbeat', payload: { t: i } });
    c.send({ type: 'system.heartbeat', payload: { t: 99 }, metadata: { correlationId: 'over' } });
    const limited = await c.nextOf('system.error');
    expect(limited.payload).toMatchObject({ code: 'RATE_LIMITED', correlationId: 'over' });
    expect(limited.payload.retryAfter).toBeGreaterThan(0);
    expect(limited.payload.retryAfter).toBeLessThanOrEqual(1000);
    // The refused message was not processed: only the first three heartbeats were answered.
    for (let i = 0; i < 3; i++) await c.nextOf('system.heartbeat', (p) => p.t === i);

    // Keep hammering: well past three times the limit the session is closed.
    for (let i = 0; i < 12; i++) c.send({ type: 'system.heartbeat', payload: {} });
    const closed = await c.closed;
    expect(closed.code).toBe(1008);
    expect(c.all('system.heartbeat').map((m) => m.payload.t)).toEqual([0, 1, 2]);
    expect(await h.metrics.render()).toMatch(/rate_limited\S*\s+[1-9]/);
  });

  it('counts a batched frame once', async () => {
    h = await startHarness({ config: { rateLimitPerSecond: 2, rateLimitPerMinute: 100 } });
    const c = await h.connect('doc-rate-batch');
    await c.nextOf('document.open');
    c.send([
      msg.insert(0, 'a'),
      msg.insert(1, 'b'),
      msg.insert(2, 'c'),
      msg.insert(3, 'd'),
      msg.insert(4, 'e'),
    ]);
    await c.nextOf('document.change', (p) => p.ack && p.version === 5);
    const sync = await contentOf(c); // the second frame of this second
    expect(sync.content).toBe('abcde');
    expect(c.all('system.error')).toEqual([]);
    c.send(msg.sync());
    expect((await c.nextOf('system.error')).payload.code).toBe('RATE_LIMITED');
  });
});

describe('frame size', () => {
  it('closes with 1009 when a frame exceeds maxMessageBytes', async () => {
    h = await startHarness({ config: { maxMessageBytes: 4096 } });
    const c = await h.connect('doc-big');
    await c.nextOf('document.open');
    c.send(msg.insert(0, 'x'.repeat(5000)));
    expect((await c.closed).code).toBe(1009);
    const other = await h.connect('doc-big');
    expect((await other.nextOf('document.open')).payload.content).toBe('');
  });
});

describe('liveness', () => {
  it('closes a session that sends nothing within idleTimeoutMs with 4000', async () => {
    h = await startHarness({ config: { idleTimeoutMs: 200 } });
    const c = await h.connect('doc-idle');
    await c.nextOf('document.open');
    expect((await c.closed).code).toBe(4000);
  });

  it('pings peers and keeps those that answer', async () => {
    h = await startHarness({ config: { heartbeatIntervalMs: 30 } });
    const c = await h.connect('doc-ping');
    await c.nextOf('document.open');
    await new Promise<void>((resolve) => {
      let pings = 0;
      c.ws.on('ping', () => {
        if (++pings === 4) resolve();
      });
    });
    expect(c.ws.readyState).toBe(c.ws.OPEN);
  });

  it('drops a peer that stops answering pings', async () => {
    h = await startHarness({ config: { heartbeatIntervalMs: 30 } });
    const watcher = await h.connect('doc-dead', { sub: 'watcher' });
    await watcher.nextOf('document.open');
    const c = await h.connect('doc-dead', { sub: 'sleeper', autoPong: false });
    await c.nextOf('document.open');
    const { code } = await c.closed;
    expect([4000, 1006]).toContain(code);
    // The others learn that the dead peer left.
    const left = await watcher.nextOf('user.presence', (p) => p.event === 'left');
    expect(left.payload.user.userId).toBe('sleeper');
  });
});

describe('token expiry', () => {
  it('ends a session when its token expires: TOKEN_EXPIRED, then close 1008', async () => {
    h = await startHarness();
    const c = await h.connect('doc-expiry', { ttlSeconds: 1 });
    await c.nextOf('document.open');
    const error = await c.nextOf('system.error');
    expect(error.payload.code).toBe('TOKEN_EXPIRED');
    expect((await c.closed).code).toBe(1008);
  });
});

describe('shutdown', () => {
  it('sends system.reconnect, closes with 1012 and refuses new upgrades', async () => {
    h = await startHarness();
    const a = await h.connect('doc-bye');
    const b = await h.connect('doc-bye');
    await a.nextOf('document.open');
    await b.nextOf('document.open');
    a.send(msg.insert(0, 'kept'));
    await a.nextOf('document.change', (p) => p.ack);
    const stopping = h.collab.shutdown();
    const reconnect = await b.nextOf('system.reconnect');
    expect(reconnect.payload).toMatchObject({ reason: 'server shutting down' });
    expect(reconnect.payload.retryAfter).toBeGreaterThan(0);
    expect((await a.closed).code).toBe(1012);
    expect((await b.closed).code).toBe(1012);
    await stopping;
    expect((await h.refused('/ws/document/doc-bye')).status).toBe(503);
    expect(h.collab.stats()).toEqual({ connections: 0, documents: 0 });
    expect((await h.store.getSnapshot('doc-bye'))?.content).toBe('kept');
  });
});
