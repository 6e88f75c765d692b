import { describe, expect, it } from 'vitest';
import { createPubSub } from '../../src/pubsub/create.js';
import { MemoryHub, MemoryPubSub } from '../../src/pubsub/memory-pubsub.js';
import { Inbox, message } from './inbox.js';
import { describePubSub } from './pubsub-conformance.js';

describePubSub('memory', async () => {
  const hub = new MemoryHub();
  return { node: async () => new MemoryPubSub({ hub }), cleanup: async () => {} };
});

describe('MemoryPubSub', () => {
  it('delivers after publish returns, never inside it', async () => {
    const pubsub = new MemoryPubSub();
    const inbox = new Inbox();
    await pubsub.subscribe('doc:1', inbox.handler);
    const publishing = pubsub.publish('doc:1', message('m'));
    expect(inbox.messages).toEqual([]);
    await publishing;
    await inbox.waitForId('m');
    await pubsub.close();
  });

  it('keeps instances without a shared hub apart', async () => {
    const [a, b] = [new MemoryPubSub(), new MemoryPubSub()];
    const inA = new Inbox();
    const inB = new Inbox();
    await a.subscribe('doc:1', inA.handler);
    await b.subscribe('doc:1', inB.handler);
    await a.publish('doc:1', message('only-a'));
    await inA.waitForId('only-a');
    expect(inB.messages).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it('is what createPubSub returns without a Redis URL', async () => {
    for (const config of [{}, { redisUrl: '' }, { redisUrl: '  ' }]) {
      const pubsub = createPubSub(config);
      expect(pubsub.kind).toBe('memory');
      await pubsub.close();
    }
  });
});
