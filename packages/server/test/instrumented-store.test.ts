import { describe, expect, it } from 'vitest';
import { instrumentStore } from '../src/instrumented-store.js';
import { createMetrics } from '../src/metrics.js';
import { createSqliteStore, isStoreError } from '../src/storage/index.js';

describe('instrumentStore', () => {
  it('times every operation, failed ones included, and passes results through', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const store = instrumentStore(createSqliteStore({ filename: ':memory:' }), metrics);
    expect(store.kind).toBe('sqlite');
    await store.init();
    const created = await store.createDocument({
      id: 'd',
      title: 'T',
      department: '',
      content: 'x',
      createdBy: 'u',
      createdByName: 'U',
    });
    expect(created).toBe(true);
    expect((await store.getDocument('d'))?.title).toBe('T');
    await store.close();
    const error = await store.ping().catch((e: unknown) => e);
    expect(isStoreError(error, 'CLOSED')).toBe(true);

    const text = await metrics.render();
    for (const operation of ['init', 'createDocument', 'getDocument', 'close', 'ping']) {
      expect(text).toContain(`storage_operation_duration_seconds_count{operation="${operation}"} 1`);
    }
  });
});
