import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentOf, type Harness, msg, startHarness, type TestClient } from './harness.js';

let h: Harness;
const clients: TestClient[] = [];

async function join(documentId: string, sub: string, extra: Parameters<Harness['connect']>[1] = {}) {
  const client = await h.connect(documentId, { sub, name: sub.toUpperCase(), ...extra });
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

describe('collaboration', () => {
  it('runs the design integration test: two clients converge on "Hello World"', async () => {
    const ws1 = await join('test-doc', 'u1');
    const ws2 = await join('test-doc', 'u2');

    ws1.send(msg.insert(0, 'Hello '));
    const change = await ws2.nextOf('document.change', (p) => !p.ack);
    expect(change.payload.content).toBe('Hello ');
    expect(change.payload).toMatchObject({
      operation: 'insert',
      position: 0,
      version: 1,
      userId: 'u1',
      userName: 'U1',
    });
    expect(change.payload.op).toEqual(['Hello ']);

    ws2.send(msg.insert(6, 'World'));
    const ack = await ws2.nextOf('document.change', (p) => p.ack === true);
    expect(ack.payload.version).toBe(2);

    const sync1 = await contentOf(ws1);
    const sync2 = await contentOf(ws2);
    expect(sync1.content).toBe(sync2.content);
    expect(sync1.content).toBe('Hello World');
  });

  it('acks the sender only after the store committed, and broadcasts to the others', async () => {
    const a = await join('doc-ack', 'a');
    const b = await join('doc-ack', 'b');
    a.send(msg.change('c-1', 0, ['abc'], 'corr-1'));
    const ack = await a.nextOf('document.change', (p) => p.ack);
    expect(ack.payload).toEqual({ ack: true, changeId: 'c-1', version: 1 });
    expect(ack.metadata).toMatchObject({ correlationId: 'corr-1', version: 1, userId: 'a' });
    expect((await h.store.getChanges('doc-ack', 0)).map((c) => c.changeId)).toEqual(['c-1']);
    const seen = await b.nextOf('document.change');
    expect(seen.payload).toMatchObject({ changeId: 'c-1', version: 1, op: ['abc'], userId: 'a' });
    expect(a.all('document.change').filter((m) => !m.payload.ack)).toEqual([]);
  });

  it('transforms a change made at a stale base version (the committed change wins ties)', async () => {
    const a = await join('doc-stale', 'a');
    const b = await join('doc-stale', 'b');
    a.send(msg.change('a1', 0, ['base']));
    await a.nextOf('document.change', (p) => p.ack);
    await b.nextOf('document.change');
    // Both edit version 1 concurrently; b's arrives second and is transformed over a's.
    a.send(msg.change('a2', 1, [4, 'A']));
    await a.nextOf('document.change', (p) => p.ack);
    b.send(msg.change('b2', 1, [4, 'B']));
    const ack = await b.nextOf('document.change', (p) => p.ack && p.changeId === 'b2');
    expect(ack.payload.version).toBe(3);
    const seen = await a.nextOf('document.change', (p) => p.changeId === 'b2');
    expect(seen.payload.op).toEqual([5, 'B']);
    expect((await contentOf(a)).content).toBe('baseAB');
  });

  it('converges with many clients sending concurrent random changes', async () => {
    const n = 5;
    const peers = await Promise.all(Array.from({ length: n }, (_, i) => join('doc-fuzz', `p${i}`)));
    let seed = 42;
    const random = (max: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % max;
    };
    // Each peer keeps a local copy built only from what the server sent it, sends an edit at a
    // possibly stale base, and waits for its ack (one change in flight per client).
    const local = peers.map(() => ({ text: '', version: 0 }));
    const rounds = 8;
    const alphabet = ['x', 'y', '😀', '中', 'é'];
    await Promise.all(
      peers.map(async (peer, i) => {
        for (let r = 0; r < rounds; r++) {
          const state = local[i]!;
          const chars = [...state.text];
          const pos = random(chars.length + 1);
          const op =
            chars.length > 0 && random(3) === 0
              ? [...(pos > 0 ? [Math.min(pos, chars.length - 1)] : []), { d: 1 }]
              : [...(pos > 0 ? [pos] : []), alphabet[random(alphabet.length)]!];
          const changeId = `p${i}-r${r}`;
          peer.send(msg.change(changeId, state.version, op));
          const answer = await peer.next(
            (m) =>
              (m.type === 'document.change' &&
                (m.payload as { changeId?: string }).changeId === changeId &&
                'ack' in m.payload) ||
              m.type === 'system.error' ||
              m.type === 'conflict.detected',
            `ack of ${changeId}`,
          );
          expect(answer.type).toBe('document.change');
          // Catch up with the authoritative state before the next edit.
          const synced = await contentOf(peer);
          local[i] = { text: synced.content, version: synced.version };
        }
      }),
    );
    const finals = await Promise.all(peers.map((p) => contentOf(p)));
    const expectedVersion = n * rounds;
    for (const f of finals) expect(f).toEqual(finals[0]);
    expect(finals[0]!.version).toBe(expectedVersion);
    // The store replays to the same content.
    const changes = await h.store.getChanges('doc-fuzz', 0);
    expect(changes).toHaveLength(expectedVersion);
    // Every peer's broadcast stream, applied in order, yields the same content too.
    const { apply } = await import('@jd-collab/ot');
    for (const [i, p] of peers.entries()) {
      let text = '';
      const byVersion = new Map<number, unknown>();
      for (const m of p.all('document.change'))
        if (!m.payload.ack) byVersion.set(m.payload.version, m.payload.op);
      for (const c of changes) {
        const op = c.userId === `p${i}` ? c.op : byVersion.get(c.version);
        text = apply(text, op as never);
      }
      expect(text).toBe(finals[0]!.content);
    }
  });

  it('acks a resent changeId again with its original version and applies it once', async () => {
    const a = await join('doc-dedupe', 'a');
    a.send(msg.change('same-id', 0, ['x']));
    const first = await a.nextOf('document.change', (p) => p.ack);
    a.send(msg.change('same-id', 0, ['x']));
    const second = await a.nextOf('document.change', (p) => p.ack);
    expect(second.payload).toEqual(first.payload);
    expect((await contentOf(a)).content).toBe('x');

    // After a reconnect (a fresh session), the retry is still recognised.
    await a.close();
    const again = await join('doc-dedupe', 'a');
    again.send(msg.change('same-id', 0, ['x']));
    const third = await again.nextOf('document.change', (p) => p.ack);
    expect(third.payload).toEqual({ ack: true, changeId: 'same-id', version: 1 });
    expect((await contentOf(again)).content).toBe('x');
    expect(await h.store.getChanges('doc-dedupe', 0)).toHaveLength(1);
  });

  it('recognises a retry even when it has left the in-memory history', async () => {
    await h.close();
    h = await startHarness({ config: { historyLimit: 2, historyRetainMs: 0 } });
    const a = await join('doc-old', 'a');
    for (let i = 0; i < 5; i++) {
      a.send(msg.change(`c${i}`, i, [...(i > 0 ? [i] : []), String(i)]));
      await a.nextOf('document.change', (p) => p.ack && p.changeId === `c${i}`);
    }
    a.send(msg.change('c0', 0, ['0']));
    const ack = await a.nextOf('document.change', (p) => p.ack && p.changeId === 'c0');
    expect(ack.payload.version).toBe(1);
    // A new change at a base older than memory is transformed with changes read from storage;
    // the inserts committed before it at the same position stay in front of it.
    a.send(msg.change('late', 1, [1, '!']));
    const late = await a.nextOf('document.change', (p) => p.ack && p.changeId === 'late');
    expect(late.payload.version).toBe(6);
    expect((await contentOf(a)).content).toBe('01234!');
    a.send(msg.change('late2', 1, [{ d: 1 }]));
    await a.nextOf('document.change', (p) => p.ack && p.changeId === 'late2');
    expect((await contentOf(a)).content).toBe('1234!');
  });

  it('answers a change with a baseVersion in the future with conflict.detected', async () => {
    const a = await join('doc-future', 'a');
    a.send(msg.change('f1', 7, ['x'], 'corr-f'));
    const conflict = await a.nextOf('conflict.detected');
    expect(conflict.payload).toMatchObject({ changeId: 'f1', baseVersion: 7, currentVersion: 0 });
    expect(conflict.metadata.correlationId).toBe('corr-f');
    expect((await contentOf(a)).content).toBe('');
  });

  it('counts positions in code points (emoji, CJK, combining marks)', async () => {
    const a = await join('doc-unicode', 'a');
    const b = await join('doc-unicode', 'b');
    a.send(msg.insert(0, '😀中e\u0301!'));
    await a.nextOf('document.change', (p) => p.ack);
    // Code points: 😀(0) 中(1) e(2) ◌́(3) !(4): insert after the emoji, delete the CJK character.
    a.send(msg.insert(1, '👍'));
    await a.nextOf('document.change', (p) => p.ack);
    a.send(msg.remove(2, 1));
    await a.nextOf('document.change', (p) => p.ack);
    expect((await contentOf(b)).content).toBe('😀👍e\u0301!');
    const del = await b.nextOf('document.change', (p) => p.operation === 'delete');
    expect(del.payload).toMatchObject({ position: 2, length: 1 });
    // A delete past the end (in code points, not UTF-16 units) is refused.
    a.send(msg.remove(4, 2));
    const error = await a.nextOf('system.error');
    expect(error.payload.code).toBe('INVALID_OP');
  });

  it('processes a batched frame in order', async () => {
    const a = await join('doc-batch', 'a');
    a.send([msg.insert(0, 'a'), msg.insert(1, 'b'), msg.insert(2, 'c'), msg.sync()]);
    const sync = await a.nextOf('sync.response');
    expect(sync.payload.content).toBe('abc');
    expect(a.all('document.change').map((m) => m.payload.version)).toEqual([1, 2, 3]);
  });

  it('group-commits changes that arrive while a commit is in flight, in one frame per session', async () => {
    const a = await join('doc-group', 'a');
    const b = await join('doc-group', 'b');
    const ops = Array.from({ length: 6 }, (_, i) => msg.change(`g${i}`, 0, ['z']));
    a.send(ops);
    for (let i = 0; i < 6; i++) await a.nextOf('document.change', (p) => p.ack && p.changeId === `g${i}`);
    const versions = a.all('document.change').map((m) => m.payload.version);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await contentOf(b)).content).toBe('zzzzzz');
    // The broadcasts reached b in version order, some of them batched in one document.changes.
    expect(b.all('document.change').map((m) => m.payload.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(b.frames.some((f) => f.includes('"document.changes"'))).toBe(true);
  });

  it('shows presence: joined, cursor broadcasts, active/idle, left', async () => {
    const a = await join('doc-presence', 'alice');
    const b = await h.connect('doc-presence', { sub: 'bob', name: 'Bob' });
    clients.push(b);
    const open = await b.nextOf('document.open');
    expect(open.payload.users.map((u: { userId: string }) => u.userId).sort()).toEqual(['alice', 'bob']);
    expect(open.payload.self).toMatchObject({ userId: 'bob', name: 'Bob' });
    expect(open.payload.self.color).toMatch(/^#[0-9A-Fa-f]{6}$/);

    const joined = await a.nextOf('user.presence', (p) => p.event === 'joined');
    expect(joined.payload.user).toMatchObject({ userId: 'bob', status: 'active', cursor: null });

    a.send(msg.insert(0, 'hello'));
    await a.nextOf('document.change', (p) => p.ack);
    b.send({ type: 'cursor.position', payload: { position: 3 } });
    const cursor = await a.nextOf('cursor.position');
    expect(cursor.payload).toMatchObject({
      userId: 'bob',
      name: 'Bob',
      position: 3,
      sessionId: open.payload.self.sessionId,
    });

    // Alice types before Bob's caret: the caret moves with the text in later document.open states.
    a.send(msg.insert(0, '>>'));
    await a.nextOf('document.change', (p) => p.ack);
    a.send({ type: 'document.open', payload: {} });
    const reopened = await a.nextOf('document.open');
    const bob = reopened.payload.users.find((u: { userId: string }) => u.userId === 'bob');
    expect(bob.cursor).toEqual({ position: 5 });

    b.send({ type: 'user.presence', payload: { status: 'idle' } });
    expect((await a.nextOf('user.presence', (p) => p.event === 'idle')).payload.user.userId).toBe('bob');

    b.send({ type: 'document.close', payload: {} });
    expect((await b.closed).code).toBe(1000);
    const left = await a.nextOf('user.presence', (p) => p.event === 'left');
    expect(left.payload.user.userId).toBe('bob');
    expect(h.collab.presenceOf('doc-presence').map((u) => u.userId)).toEqual(['alice']);
  });

  it('coalesces a burst of cursor moves into at most one broadcast per interval, ending at the latest', async () => {
    const a = await join('doc-cursor', 'a');
    const b = await join('doc-cursor', 'b');
    a.send(msg.insert(0, 'some text here'));
    await a.nextOf('document.change', (p) => p.ack);
    b.send([1, 2, 3, 4, 5, 6].map((position) => ({ type: 'cursor.position', payload: { position } })));
    await a.nextOf('cursor.position', (p) => p.position === 6);
    const seen = a.all('cursor.position').map((m) => m.payload.position);
    expect(seen[0]).toBe(1);
    expect(seen.length).toBeLessThan(6);
    b.send({ type: 'selection.change', payload: { anchor: 2, head: 40 } });
    const selection = await a.nextOf('selection.change');
    // Positions beyond the end are clamped to the document.
    expect(selection.payload).toMatchObject({ userId: 'b', anchor: 2, head: 14 });
  });

  it("applies a delete that names its text, across the server document's chunks", async () => {
    const a = await join('doc-invertible-delete', 'ana');
    const text = 'ab'.repeat(400);
    a.send(msg.change('seed', 0, [text]));
    await a.nextOf('document.change', (p) => p.ack);
    a.send(msg.change('del', 1, [250, { d: text.slice(250, 400) }]));
    await a.nextOf('document.change', (p) => p.ack && p.changeId === 'del');
    expect((await contentOf(a)).content).toBe(text.slice(0, 250) + text.slice(400));
    // Text that is not there is refused and changes nothing.
    a.send(msg.change('bad', 2, [10, { d: 'zz' }]));
    expect((await a.nextOf('system.error')).payload.code).toBe('INVALID_OP');
    const after = text.slice(0, 250) + text.slice(400);
    expect((await contentOf(a)).content).toBe(after);
    // In one group commit: an insert, then a named delete rebased over it, checked in between.
    a.send([msg.change('g1', 2, ['QQ']), msg.change('g2', 2, [{ d: 'ab' }])]);
    await a.nextOf('document.change', (p) => p.ack && p.changeId === 'g2');
    expect((await contentOf(a)).content).toBe(`QQ${after.slice(2)}`);
  });

  it('maps a caret sent at an older version through what was committed since', async () => {
    const a = await join('doc-cursor-version', 'ana');
    a.send(msg.change('seed', 0, ['abcdef']));
    await a.nextOf('document.change', (p) => p.ack);
    const b = await join('doc-cursor-version', 'ben');
    // Ben inserts at the start (v2); Ana has not seen it when she places her caret after "abc" (v1).
    b.send(msg.change('ben-1', 1, ['XY']));
    await b.nextOf('document.change', (p) => p.ack);
    a.send({ type: 'cursor.position', payload: { position: 3, version: 1 } });
    expect((await b.nextOf('cursor.position')).payload.position).toBe(5);

    // Ana types "Z" at her caret (committed as v3 after rebasing on Ben's insert) and reports the
    // caret in her last acknowledged version without that edit: it lands after her own "Z".
    a.send(msg.change('ana-1', 1, [3, 'Z']));
    await a.nextOf('document.change', (p) => p.ack && p.changeId === 'ana-1');
    a.send({ type: 'selection.change', payload: { anchor: 3, head: 3, version: 1 } });
    const selection = await b.nextOf('selection.change');
    expect(selection.payload).toMatchObject({ anchor: 6, head: 6 });
    expect((await contentOf(b)).content).toBe('XYabcZdef');
  });

  it('compresses large frames with permessage-deflate when the client offers it', async () => {
    const a = await join('doc-deflate', 'a');
    a.send(msg.insert(0, 'lorem ipsum '.repeat(500)));
    await a.nextOf('document.change', (p) => p.ack);
    const b = await h.connect('doc-deflate', { sub: 'b', compress: true });
    clients.push(b);
    const open = await b.nextOf('document.open');
    expect(open.payload.content).toHaveLength(6000);
    // Each message compressed on its own, so ws's size threshold applies (small ones go plain).
    expect(b.ws.extensions).toContain('permessage-deflate');
    // (ws keeps the negotiated parameters and the socket to itself; read them to check the wire.)
    const internals = b.ws as unknown as {
      _extensions: Record<string, { params: Record<string, unknown> }>;
      _socket: { bytesRead: number };
    };
    expect(internals._extensions['permessage-deflate']?.params).toMatchObject({
      server_no_context_takeover: true,
      client_no_context_takeover: true,
    });
    // The 6,000-character document.open crossed the wire compressed.
    expect(internals._socket.bytesRead).toBeLessThan(3000);
  });

  it('answers system.heartbeat', async () => {
    const a = await join('doc-hb', 'a');
    a.send({ type: 'system.heartbeat', payload: { t: 1234 } });
    const reply = await a.nextOf('system.heartbeat');
    expect(reply.payload.t).toBe(1234);
    expect(reply.payload.serverTime).toBeGreaterThan(0);
  });

  it('saves a named version and tells everyone', async () => {
    const a = await join('doc-save', 'a');
    const b = await join('doc-save', 'b');
    a.send(msg.insert(0, 'v1'));
    await a.nextOf('document.change', (p) => p.ack);
    a.send({ type: 'document.save', payload: { name: 'First draft' }, metadata: { correlationId: 's1' } });
    const mine = await a.nextOf('document.save');
    const theirs = await b.nextOf('document.save');
    expect(mine.payload).toMatchObject({ name: 'First draft', version: 1, createdBy: 'a' });
    expect(mine.metadata.correlationId).toBe('s1');
    expect(theirs.payload).toEqual(mine.payload);
    expect((await h.store.listNamedVersions('doc-save')).map((v) => v.name)).toEqual(['First draft']);
  });

  it('answers sync.request with the changes since a version', async () => {
    const a = await join('doc-sync', 'a');
    a.send(msg.insert(0, 'ab'));
    a.send(msg.insert(2, 'cd'));
    await a.nextOf('document.change', (p) => p.ack && p.version === 2);
    a.send(msg.sync(1));
    const delta = await a.nextOf('sync.response');
    expect(delta.payload).toMatchObject({ version: 2, sinceVersion: 1 });
    expect(delta.payload.changes.map((c: { op: unknown }) => c.op)).toEqual([[2, 'cd']]);
  });

  it('keeps a snapshot every snapshotEvery versions', async () => {
    await h.close();
    h = await startHarness({ config: { snapshotEvery: 3 } });
    const a = await join('doc-snap', 'a');
    for (let i = 0; i < 4; i++) {
      a.send(msg.insert(i, String(i)));
      await a.nextOf('document.change', (p) => p.ack && p.version === i + 1);
    }
    await contentOf(a);
    const snapshot = await h.store.getSnapshot('doc-snap');
    expect(snapshot?.version).toBeGreaterThanOrEqual(3);
    expect(snapshot?.content).toBe('0123'.slice(0, snapshot?.version));
  });
});
