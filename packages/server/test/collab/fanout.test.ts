import { MAX_BATCH_LENGTH, MAX_FRAME_BYTES } from '@jd-collab/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { BroadcastSegment } from '../../src/collab/broadcast-segment.js';
import { type Frame, Outbox } from '../../src/collab/outbox.js';
import { RoomFanout } from '../../src/collab/room-fanout.js';
import type { Session } from '../../src/collab/session.js';
import { contentOf, type Harness, msg, startHarness, type TestClient } from './harness.js';

describe('BroadcastSegment', () => {
  it('sends two or more consecutive changes as one document.changes, a lone one as itself', () => {
    const author = {};
    const segment = new BroadcastSegment();
    const change = (v: number) => ({ entry: `{"v":${v}}`, version: v });
    segment.add('{"c":1}', 1, undefined, null, change(1));
    segment.add('{"c":2}', 2, author, '{"ack":2}', change(2));
    segment.add('{"c":3}', 3, undefined, null, change(3));
    segment.add('{"cursor":true}', 3);
    segment.add('{"c":4}', 4, undefined, null, change(4));
    const shared = JSON.parse(String(segment.frameFor({})));
    expect(shared.map((m: { type?: string }) => m.type ?? 'other')).toEqual([
      'document.changes',
      'other',
      'other',
    ]);
    expect(shared[0].payload.changes).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
    expect(shared[0].metadata).toMatchObject({ version: 3, userId: 'system', sessionId: 'system' });
    expect(shared.slice(1)).toEqual([{ cursor: true }, { c: 4 }]);
    // The author's ack splits the run: c1 alone, the ack, then c3 alone.
    expect(String(segment.frameFor(author))).toBe('[{"c":1},{"ack":2},{"c":3},{"cursor":true},{"c":4}]');
  });

  it("cuts an author's frame from the shared bytes: runs split around each ack, in version order", () => {
    const author = {};
    const other = {};
    const segment = new BroadcastSegment();
    const change = (v: number) => ({ entry: `{"v":${v},"s":"é✓"}`, version: v });
    const add = (v: number, except?: object, ack?: string) =>
      segment.add(`{"c":${v}}`, v, except, ack ?? null, change(v));
    add(1);
    add(2);
    add(3, author, '{"ack":3}');
    add(4);
    add(5);
    add(6);
    add(7, author, '{"ack":7}');
    add(8, other, '{"ack":8}');
    segment.add('{"cursor":true}', 8, author);
    const shared = JSON.parse(String(segment.frameFor({})));
    expect(shared[0].payload.changes.map((c: { v: number }) => c.v)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const own = JSON.parse(String(segment.frameFor(author)));
    expect(own.map((m: { type?: string }) => m.type ?? JSON.stringify(m))).toEqual([
      'document.changes',
      '{"ack":3}',
      'document.changes',
      '{"ack":7}',
      '{"c":8}',
    ]);
    expect(own[0].payload.changes).toEqual([change(1), change(2)].map((c) => JSON.parse(c.entry)));
    expect(own[0].metadata.version).toBe(2);
    expect(own[2].payload.changes.map((c: { v: number }) => c.v)).toEqual([4, 5, 6]);
    expect(own[2].metadata.version).toBe(6);
    const others = JSON.parse(String(segment.frameFor(other)));
    expect(others.at(-2)).toEqual({ ack: 8 });
    expect(others[0].payload.changes.map((c: { v: number }) => c.v)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(others.at(-1)).toEqual({ cursor: true });
  });

  it('builds one Buffer shared by every recipient, and own frames for the excluded ones', () => {
    const author = {};
    const cursorOwner = {};
    const segment = new BroadcastSegment();
    segment.add('{"n":1}', 1, author, '{"ack":1}');
    segment.add('{"cursor":true}', 1, cursorOwner);
    segment.add('{"n":2}', 2);
    const a = segment.frameFor({});
    const b = segment.frameFor({});
    expect(Buffer.isBuffer(a)).toBe(true);
    expect(a).toBe(b); // the same object: built once
    expect(a?.toString()).toBe('[{"n":1},{"cursor":true},{"n":2}]');
    expect(String(segment.frameFor(author))).toBe('[{"ack":1},{"cursor":true},{"n":2}]');
    expect(String(segment.frameFor(cursorOwner))).toBe('[{"n":1},{"n":2}]');
    expect(segment.version).toBe(2);
  });

  it('is sealed once a frame was built, and says when a recipient gets nothing', () => {
    const owner = {};
    const segment = new BroadcastSegment();
    segment.add('{"cursor":true}', 3, owner);
    expect(segment.sealed).toBe(false);
    expect(segment.frameFor(owner)).toBeNull();
    expect(segment.sealed).toBe(true);
    expect(() => segment.add('{"late":true}', 4)).toThrow(/after seal/);
    expect(segment.frameFor({})?.toString()).toBe('{"cursor":true}');
  });
});

describe('RoomFanout', () => {
  it('never puts more in one frame than clients accept, however much one flush carries', () => {
    // Sessions reduced to their outboxes; the room flushes only when told (budget: never).
    const frames = new Map<string, Frame[]>();
    const sessions = new Map<string, Session>();
    for (const id of ['author', 'other']) {
      const owner = { id };
      const outbox = new Outbox(
        owner,
        (f) => frames.set(id, [...(frames.get(id) ?? []), f]),
        () => undefined,
      );
      sessions.set(id, {
        enqueueSegment: (segment: BroadcastSegment) => outbox.pushSegment(segment),
        flush: () => outbox.flush(),
        owner,
      } as unknown as Session);
    }
    const author = sessions.get('author')!;
    const fanout = new RoomFanout(sessions, 1);
    const big = 'é'.repeat(20_000);
    let version = 0;
    for (let i = 0; i < 300; i++) {
      // Carets (one message each), changes (runs), now and then a large paste, and the author's acks.
      fanout.add({ type: 'cursor.position', json: `{"cursor":${i}}` });
      version++;
      const text = i % 50 === 0 ? big : 'x';
      const json = `{"change":${version},"text":"${text}"}`;
      const mine = i % 3 === 0;
      fanout.add(
        { type: 'document.change', json, version },
        mine ? author : undefined,
        mine ? { type: 'document.change', json: `{"ack":${version}}` } : undefined,
        {
          entry: `{"v":${version},"text":"${text}"}`,
          version,
        },
      );
    }
    fanout.flush();
    for (const [id, sent] of frames) {
      const messages: unknown[] = [];
      for (const frame of sent) {
        expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(MAX_FRAME_BYTES);
        const parsed: unknown = JSON.parse(String(frame));
        const batch = Array.isArray(parsed) ? parsed : [parsed];
        expect(batch.length, `a frame for ${id}`).toBeLessThanOrEqual(MAX_BATCH_LENGTH);
        messages.push(...batch);
      }
      // Nothing lost on the way: 300 carets, and 300 changes (as entries, lone messages or acks).
      const carets = messages.filter((m) => 'cursor' in (m as object)).length;
      const changes = messages
        .map((m) => m as { payload?: { changes?: unknown[] }; change?: number; ack?: number })
        .reduce(
          (n, m) =>
            n + (m.payload?.changes?.length ?? (m.change !== undefined || m.ack !== undefined ? 1 : 0)),
          0,
        );
      expect([id, carets, changes]).toEqual([id, 300, 300]);
    }
    expect(frames.get('other')!.length).toBeGreaterThan(10);
  });
});

describe('RoomFanout scheduling', () => {
  it('sends a message that filled its segment on its own (the segment was cut at once)', async () => {
    const frames: Frame[] = [];
    const owner = {};
    const outbox = new Outbox(
      owner,
      (f) => frames.push(f),
      () => undefined,
    );
    const sessions = new Map<string, Session>([
      [
        's',
        {
          enqueueSegment: (seg: BroadcastSegment) => outbox.pushSegment(seg),
          flush: () => outbox.flush(),
        } as unknown as Session,
      ],
    ]);
    const fanout = new RoomFanout(sessions, 25_000);
    fanout.add({ type: 'document.change', json: `{"big":"${'é'.repeat(200_000)}"}`, version: 1 });
    fanout.schedule(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(frames).toHaveLength(1);
    expect(String(frames[0]).startsWith('{"big":')).toBe(true);
  });
});

describe('Outbox', () => {
  it('keeps the order of own messages and shared segments, and reports the version sent', async () => {
    const owner = {};
    const frames: Frame[] = [];
    const versions: number[] = [];
    const outbox = new Outbox(
      owner,
      (f) => frames.push(f),
      (v) => versions.push(v),
    );
    const first = new BroadcastSegment();
    first.add('{"change":5}', 5);
    outbox.push('{"open":4}', 4);
    outbox.pushSegment(first);
    outbox.push('{"error":true}');
    // A message queued after a segment seals it: later broadcasts must go in a new segment.
    expect(first.sealed).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(frames.map(String)).toEqual(['{"open":4}', '{"change":5}', '{"error":true}']);
    expect(versions).toEqual([5]);
    expect(outbox.pending).toBe(0);
  });

  it('leaves segments to the room: nothing is sent until flush', async () => {
    const frames: Frame[] = [];
    const outbox = new Outbox(
      {},
      (f) => frames.push(f),
      () => undefined,
    );
    const segment = new BroadcastSegment();
    segment.add('{"n":1}', 1);
    outbox.pushSegment(segment);
    segment.add('{"n":2}', 2); // still open: the room adds the next commit group
    await new Promise((resolve) => setImmediate(resolve));
    expect(frames).toEqual([]);
    outbox.flush();
    expect(frames.map(String)).toEqual(['[{"n":1},{"n":2}]']);
  });
});

describe('room fan-out (real server)', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  async function joinAll(documentId: string, count: number): Promise<TestClient[]> {
    const clients: TestClient[] = [];
    for (let i = 0; i < count; i++) {
      const client = await h.connect(documentId, { sub: `u${i}` });
      await client.nextOf('document.open');
      clients.push(client);
    }
    return clients;
  }

  it('batches a large room: several commit groups in one identical frame, authors get their acks', async () => {
    // 6 sessions at 4 frames/s: the room writes at most every 1.5 s. The joins' presence
    // broadcasts were the last write, so both commits below land inside one interval even on a
    // slow machine.
    h = await startHarness({ config: { fanoutFramesPerSecond: 4 } });
    const clients = await joinAll('doc-fanout', 6);
    const [a, b, ...observers] = clients as [TestClient, TestClient, ...TestClient[]];
    for (const o of observers) o.frames.length = 0;
    a.send(msg.change('a1', 0, ['A']));
    await new Promise((resolve) => setTimeout(resolve, 5)); // a separate commit group
    b.send(msg.change('b1', 0, ['B']));
    const ackA = await a.nextOf('document.change', (p) => p.ack);
    const ackB = await b.nextOf('document.change', (p) => p.ack);
    expect([ackA.payload.version, ackB.payload.version]).toEqual([1, 2]);
    for (const o of observers) await o.nextOf('document.change', (p) => p.version === 2);
    // Every observer got both changes in one frame, the very same bytes, as one document.changes.
    const frames = observers.map((o) => o.frames.filter((f) => f.includes('document.change')));
    for (const f of frames) expect(f).toHaveLength(1);
    expect(new Set(frames.map((f) => f[0])).size).toBe(1);
    const batch = JSON.parse(frames[0]![0]!);
    expect(batch.type).toBe('document.changes');
    expect(batch.metadata.version).toBe(2);
    expect(batch.payload.changes).toEqual([
      { changeId: 'a1', version: 1, op: ['A'], userId: 'u0', userName: 'u0' },
      { changeId: 'b1', version: 2, op: [1, 'B'], userId: 'u1', userName: 'u1' },
    ]);
    // Each author got its ack in place of its own change, and the other's change as a broadcast.
    expect(a.all('document.change').map((m) => [m.payload.changeId, m.payload.ack === true])).toEqual([
      ['a1', true],
      ['b1', false],
    ]);
    expect(b.all('document.change').map((m) => [m.payload.changeId, m.payload.ack === true])).toEqual([
      ['a1', false],
      ['b1', true],
    ]);
    expect((await contentOf(observers[0]!)).content).toBe('AB');
    for (const c of clients) expect(c.violations).toEqual([]);
  });

  it('gives a session that joins while a batch is held back only what follows its document.open', async () => {
    h = await startHarness({ config: { fanoutFramesPerSecond: 40 } }); // 3 sessions: 75 ms
    const [a, b] = (await joinAll('doc-join', 2)) as [TestClient, TestClient];
    a.send(msg.change('a1', 0, ['A']));
    await a.nextOf('document.change', (p) => p.ack);
    a.send(msg.change('a2', 1, [1, 'B']));
    const late = await h.connect('doc-join', { sub: 'late' });
    const open = await late.nextOf('document.open');
    a.send(msg.change('a3', open.payload.version, [open.payload.content.length, 'C']));
    await b.nextOf('document.change', (p) => p.version === 3);
    await late.nextOf('document.change', (p) => p.version === 3);
    // Never a change older than its document.open, never a gap, in order.
    const seen = late.all('document.change').map((m) => m.payload.version);
    expect(seen).toEqual(
      Array.from({ length: 3 - open.payload.version }, (_, i) => open.payload.version + i + 1),
    );
    expect((await contentOf(late)).content).toBe('ABC');
    expect(b.all('document.change').map((m) => m.payload.version)).toEqual([1, 2, 3]);
  });
});

describe('room fan-out and permessage-deflate (real server)', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  /** Bytes a deflate client reads while a 6,000-character change is broadcast in a room of `size`. */
  async function bytesForBigBroadcast(size: number): Promise<number> {
    const documentId = `doc-deflate-${size}`;
    const watcher = await h.connect(documentId, { sub: 'watcher', compress: true });
    await watcher.nextOf('document.open');
    const others: TestClient[] = [];
    for (let i = 1; i < size; i++) {
      const client = await h.connect(documentId, { sub: `u${i}` });
      await client.nextOf('document.open');
      others.push(client);
    }
    const socket = (watcher.ws as unknown as { _socket: { bytesRead: number } })._socket;
    await new Promise((resolve) => setTimeout(resolve, 50)); // presence broadcasts settle
    const before = socket.bytesRead;
    others[0]!.send(msg.change('big', 0, ['lorem ipsum '.repeat(500)]));
    await watcher.nextOf('document.change', (p) => p.changeId === 'big');
    return socket.bytesRead - before;
  }

  it('compresses a small room broadcast for a deflate client, not a large room shared frame', async () => {
    h = await startHarness();
    // 2 sessions: the 6,000-character broadcast is compressed for the watcher.
    expect(await bytesForBigBroadcast(2)).toBeLessThan(3000);
    // 12 sessions: ws would deflate every recipient's copy of the shared frame; it goes plain.
    expect(await bytesForBigBroadcast(12)).toBeGreaterThan(6000);
  });
});
