/**
 * Issue 12, defect 1, at the WebSocket interface: changeIds are de-duplicated per author. A
 * co-editor who sends another user's next changeId first (changeIds travel in broadcasts) gets an
 * ordinary change of their own; the victim's change is still committed and acked, never lost. A
 * resend whose content differs from what its author committed under that id is refused
 * (CHANGE_ID_REUSED), not acknowledged; a genuine resend, rebased or not, from memory or from
 * storage, is acked with the original version.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentOf, type Harness, msg, startHarness, type TestClient } from './harness.js';

let h: Harness;
const clients: TestClient[] = [];

async function join(documentId: string, sub: string) {
  const client = await h.connect(documentId, { sub, name: sub.toUpperCase() });
  clients.push(client);
  await client.nextOf('document.open');
  return client;
}

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  for (const c of clients) expect(c.violations).toEqual([]);
  clients.length = 0;
  await h.close();
});

describe('changeIds scoped by author', () => {
  it("does not let a co-editor's change with my changeId erase mine", async () => {
    const victim = await join('doc-preempt', 'victim');
    const mallory = await join('doc-preempt', 'mallory');
    victim.send(msg.change('v-1', 0, ['Hello']));
    await victim.nextOf('document.change', (p) => p.ack);
    // Mallory saw v-1 in the broadcast and guesses the victim's next id.
    mallory.send(msg.change('v-2', 1, [5, ' (spam)']));
    expect((await mallory.nextOf('document.change', (p) => p.ack)).payload).toMatchObject({ version: 2 });
    victim.send(msg.change('v-2', 1, [5, ' world']));
    const ack = await victim.nextOf('document.change', (p) => p.ack && p.changeId === 'v-2');
    expect(ack.payload).toEqual({ ack: true, changeId: 'v-2', version: 3 });
    expect((await contentOf(victim)).content).toBe('Hello (spam) world');
    const stored = await h.store.getChanges('doc-preempt', 0);
    expect(stored.map((c) => [c.userId, c.changeId])).toEqual([
      ['victim', 'v-1'],
      ['mallory', 'v-2'],
      ['victim', 'v-2'],
    ]);
  });

  it('acks a genuine resend, also one rebased by its client, and refuses one with other content', async () => {
    const a = await join('doc-resend', 'a');
    const b = await join('doc-resend', 'b');
    a.send(msg.change('a-1', 0, ['abc']));
    await a.nextOf('document.change', (p) => p.ack);
    b.send(msg.change('b-1', 1, ['>']));
    await b.nextOf('document.change', (p) => p.ack); // ">abc" at version 2
    a.send(msg.change('a-2', 1, [3, '!'])); // made at version 1: lands as ">abc!" (version 3)
    await a.nextOf('document.change', (p) => p.ack && p.changeId === 'a-2');

    // The same change resent as sent, and as its client would have rebased it over b-1.
    a.send(msg.change('a-2', 1, [3, '!']));
    expect((await a.nextOf('document.change', (p) => p.ack && p.changeId === 'a-2')).payload.version).toBe(3);
    a.send(msg.change('a-2', 2, [4, '!']));
    expect((await a.nextOf('document.change', (p) => p.ack && p.changeId === 'a-2')).payload.version).toBe(3);

    // Other content under the same id: refused, not applied, not acked.
    a.send(msg.change('a-2', 1, [3, '?']));
    const refused = await a.nextOf('system.error');
    expect(refused.payload).toMatchObject({ code: 'CHANGE_ID_REUSED', changeId: 'a-2' });
    expect((await contentOf(a)).content).toBe('>abc!');
    expect(await h.store.getChanges('doc-resend', 0)).toHaveLength(3);
  });

  it('checks a resend against storage when its base has left memory', async () => {
    await h.close();
    h = await startHarness({ config: { historyLimit: 1, historyRetainMs: 0 } });
    const a = await join('doc-old-resend', 'a');
    for (let i = 0; i < 4; i++) {
      a.send(msg.change(`c${i}`, i, [...(i > 0 ? [i] : []), String(i)]));
      await a.nextOf('document.change', (p) => p.ack && p.changeId === `c${i}`);
    }
    a.send(msg.change('c1', 1, [1, '1']));
    expect((await a.nextOf('document.change', (p) => p.ack && p.changeId === 'c1')).payload.version).toBe(2);
    a.send(msg.change('c1', 1, [1, 'X']));
    expect((await a.nextOf('system.error')).payload).toMatchObject({
      code: 'CHANGE_ID_REUSED',
      changeId: 'c1',
    });
    expect((await contentOf(a)).content).toBe('0123');
  });
});
