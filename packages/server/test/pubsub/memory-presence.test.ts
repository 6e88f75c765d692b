import { describe, expect, it } from 'vitest';
import { createPresenceRegistry } from '../../src/pubsub/create.js';
import { MemoryPresenceRegistry } from '../../src/pubsub/memory-presence.js';
import { describePresenceRegistry } from './presence-conformance.js';

describePresenceRegistry('memory', async () => {
  const shared = new MemoryPresenceRegistry();
  return { node: async () => shared, cleanup: () => shared.close() };
});

describe('MemoryPresenceRegistry', () => {
  it('excludes an entry from the moment its expiry is reached (injected clock)', async () => {
    let now = 1_000;
    const registry = new MemoryPresenceRegistry({ now: () => now });
    await registry.heartbeat('doc', { sessionId: 's', serverId: 'n', data: 1 }, 100);
    now = 1_099;
    expect(await registry.list('doc')).toEqual([
      { sessionId: 's', serverId: 'n', data: 1, expiresAt: 1_100 },
    ]);
    now = 1_100;
    expect(await registry.list('doc')).toEqual([]);
    // Forgotten, not just hidden: a heartbeat starts it afresh.
    await registry.heartbeat('doc', { sessionId: 's', serverId: 'n', data: 2 }, 100);
    expect(await registry.list('doc')).toEqual([
      { sessionId: 's', serverId: 'n', data: 2, expiresAt: 1_200 },
    ]);
  });

  it('hands out copies', async () => {
    const registry = new MemoryPresenceRegistry();
    const data = { name: 'Ann' };
    await registry.heartbeat('doc', { sessionId: 's', serverId: 'n', data }, 60_000);
    data.name = 'changed';
    const [listed] = await registry.list('doc');
    (listed!.data as { name: string }).name = 'tampered';
    expect((await registry.list('doc'))[0]?.data).toEqual({ name: 'Ann' });
  });

  it('is what createPresenceRegistry returns without a Redis URL', async () => {
    const registry = createPresenceRegistry({});
    expect(registry.kind).toBe('memory');
    await registry.close();
  });
});
