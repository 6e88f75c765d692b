import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/metrics.js';

describe('createMetrics', () => {
  it('keeps each registry separate, so several servers can live in one process', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.changesCommitted.inc(3);
    a.connectionsTotal.inc({ status: 'accepted' });
    expect(await a.render()).toMatch(/^collab_changes_committed_total 3$/m);
    expect(await a.render()).toMatch(/^websocket_connections_total\{status="accepted"\} 1$/m);
    expect(await b.render()).toMatch(/^collab_changes_committed_total 0$/m);
  });

  it('includes process metrics by default', async () => {
    expect(await createMetrics().render()).toContain('process_cpu_user_seconds_total');
    expect(await createMetrics({ defaultMetrics: false }).render()).not.toContain(
      'process_cpu_user_seconds_total',
    );
  });

  it('records labelled observations', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.messagesTotal.inc({ type: 'document.change', direction: 'in' });
    m.messageSize.observe({ type: 'document.change' }, 300);
    m.storageLatency.observe({ operation: 'commitChanges' }, 0.002);
    const text = await m.render();
    expect(text).toContain('websocket_messages_total{type="document.change",direction="in"} 1');
    expect(text).toContain('websocket_message_size_bytes_bucket{le="1024",type="document.change"} 1');
    expect(text).toContain('storage_operation_duration_seconds_count{operation="commitChanges"} 1');
  });
});
