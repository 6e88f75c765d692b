import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryPubSub } from '../../src/pubsub/index.js';
import { type TestApp, testApp } from './helpers.js';

describe('health routes', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers /healthz', async () => {
    t = await testApp();
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 while storage works', async () => {
    t = await testApp();
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', storage: 'sqlite' });
  });

  it('answers /readyz 503 STORAGE_UNAVAILABLE when the store is closed', async () => {
    t = await testApp();
    await t.store.close();
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unavailable', code: 'STORAGE_UNAVAILABLE' });
    // /healthz does not depend on storage
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('answers /readyz 503 BROKER_UNAVAILABLE when pub/sub does not answer, 200 again when it does', async () => {
    const broker = createMemoryPubSub();
    t = await testApp({ broker });
    const ok = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'ok', storage: 'sqlite', broker: 'memory' });
    await broker.close();
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unavailable', code: 'BROKER_UNAVAILABLE' });
  });

  it('answers /readyz 503 once shutdown started', async () => {
    t = await testApp();
    t.readiness.shuttingDown = true;
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unavailable', code: 'SERVER_SHUTTING_DOWN' });
  });

  it('exposes every metric in Prometheus text format', async () => {
    t = await testApp({ defaultMetrics: true });
    await t.app.inject({ method: 'GET', url: '/healthz' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of [
      'websocket_connections_total',
      'websocket_active_connections',
      'websocket_messages_total',
      'websocket_message_size_bytes',
      'websocket_message_latency_seconds',
      'collab_documents_open',
      'collab_changes_committed_total',
      'collab_transforms_total',
      'collab_conflicts_total',
      'storage_operation_duration_seconds',
      'rate_limited_total',
      'http_request_duration_seconds',
      'process_cpu_user_seconds_total',
    ]) {
      expect(res.body).toContain(`# TYPE ${name} `);
    }
    expect(res.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} 1/,
    );
  });
});
