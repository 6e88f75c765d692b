import { apply, codePointLength, type Op } from '@jd-collab/ot';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SimClient, SimNetwork } from './simulated-network.js';

// Fixed seeds: a failure prints its seed and shrunk action list, and reruns identically.
const SEED = 20261126;
const INITIAL = 'Senior 👩‍💻 engineer — e\u0301quipe 工程师 🇫🇷!';

/** Each client types characters nobody else types, so the final text tells who typed what. */
const ALPHABETS = [0x4e00, 0x1f300, 0xac00, 0x0100];

type Action =
  | { t: 'insert'; c: number; pos: number; size: number; mark: boolean }
  | { t: 'delete'; c: number; pos: number; size: number }
  | { t: 'send' | 'up' | 'down' | 'zombie' | 'disconnect' | 'reconnect' | 'resend'; c: number };

function actionArb(clients: number, withDeletes: boolean): fc.Arbitrary<Action> {
  const c = fc.nat({ max: clients - 1 });
  const pos = fc.nat({ max: 1000 });
  const simple = (t: 'send' | 'up' | 'down' | 'zombie' | 'disconnect' | 'reconnect' | 'resend') =>
    c.map((client): Action => ({ t, c: client }));
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        t: fc.constant('insert' as const),
        c,
        pos,
        size: fc.integer({ min: 1, max: 3 }),
        mark: fc.boolean(),
      }),
    },
    {
      weight: withDeletes ? 3 : 0,
      arbitrary: fc.record({
        t: fc.constant('delete' as const),
        c,
        pos,
        size: fc.integer({ min: 1, max: 4 }),
      }),
    },
    { weight: 4, arbitrary: simple('send') },
    { weight: 6, arbitrary: simple('up') },
    { weight: 6, arbitrary: simple('down') },
    { weight: 1, arbitrary: simple('zombie') },
    { weight: 1, arbitrary: simple('disconnect') },
    { weight: 1, arbitrary: simple('reconnect') },
    { weight: 1, arbitrary: simple('resend') },
  );
}

function nextChars(client: SimClient, size: number, mark: boolean): string {
  let s = '';
  for (let i = 0; i < size; i++) {
    const ch = String.fromCodePoint(ALPHABETS[client.id]! + client.typed.length);
    client.typed.push(ch);
    s += ch;
  }
  // A combining mark after the typed characters: positions must count it as its own code point.
  return mark ? `${s}\u0301` : s;
}

function run(net: SimNetwork, actions: Action[]): void {
  for (const action of actions) {
    const client = net.clients[action.c]!;
    const length = codePointLength(client.state.text);
    switch (action.t) {
      case 'insert': {
        const at = action.pos % (length + 1);
        const op: Op =
          at > 0
            ? [at, nextChars(client, action.size, action.mark)]
            : [nextChars(client, action.size, action.mark)];
        client.edit(op);
        break;
      }
      case 'delete': {
        if (length === 0) break;
        const at = action.pos % length;
        const size = Math.min(action.size, length - at);
        client.edit(at > 0 ? [at, { d: size }] : [{ d: size }]);
        break;
      }
      case 'send':
        client.send();
        break;
      case 'up':
        net.deliverUp(client, client.up, false);
        break;
      case 'zombie': {
        const zombie = client.zombies.find((z) => z.queue.length > 0);
        if (zombie !== undefined) net.deliverUp(client, zombie, true);
        break;
      }
      case 'down':
        net.deliverDown(client);
        break;
      case 'disconnect':
        client.disconnect();
        break;
      case 'reconnect':
        client.reconnect();
        break;
      case 'resend':
        client.resend();
        break;
    }
  }
  net.settle();
}

function expectConverged(net: SimNetwork): void {
  const replayed = net.server.history.reduce((doc, change) => apply(doc, change.op), net.server.initialText);
  expect(replayed).toBe(net.server.text);
  for (const client of net.clients) {
    expect(client.state.text).toBe(net.server.text);
    expect(client.state.confirmedText).toBe(net.server.text);
    expect(client.state.version).toBe(net.server.version);
    expect(client.state.pendingCount).toBe(0);
    expect(client.state.status).toBe('synchronized');
  }
}

describe('SyncState over a simulated network', () => {
  it('converges with three peers, reordering, disconnects and resends, and keeps every typed character exactly once', () => {
    fc.assert(
      fc.property(fc.array(actionArb(3, false), { maxLength: 200, size: 'large' }), (actions) => {
        const net = new SimNetwork(INITIAL, 3);
        run(net, actions);
        expectConverged(net);
        const final = Array.from(net.server.text);
        const counts = new Map<string, number>();
        for (const ch of final) counts.set(ch, (counts.get(ch) ?? 0) + 1);
        let typedTotal = 0;
        for (const client of net.clients) {
          for (const ch of client.typed)
            expect(counts.get(ch), `character typed by client ${client.id}`).toBe(1);
          typedTotal += client.typed.length;
        }
        const marks = final.filter((ch) => ch === '\u0301').length - 1; // INITIAL holds one
        expect(final.length).toBe(codePointLength(INITIAL) + typedTotal + marks);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('converges with four peers that also delete, and the server history replays to the final text', () => {
    fc.assert(
      fc.property(fc.array(actionArb(4, true), { maxLength: 200, size: 'large' }), (actions) => {
        const net = new SimNetwork(INITIAL, 4);
        run(net, actions);
        expectConverged(net);
      }),
      { seed: SEED + 1, numRuns: 800 },
    );
  });

  it('converges when everyone types while offline and reconnects at once', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            c: fc.nat({ max: 2 }),
            pos: fc.nat({ max: 100 }),
            size: fc.integer({ min: 1, max: 3 }),
          }),
          { maxLength: 60, size: 'large' },
        ),
        (edits) => {
          const net = new SimNetwork(INITIAL, 3);
          for (const client of net.clients) client.disconnect();
          run(
            net,
            edits.map((e) => ({ t: 'insert', c: e.c, pos: e.pos, size: e.size, mark: false })),
          );
          expectConverged(net);
          for (const client of net.clients) {
            for (const ch of client.typed) expect(net.server.text.split(ch).length - 1).toBe(1);
          }
        },
      ),
      { seed: SEED + 2, numRuns: 300 },
    );
  });
});
