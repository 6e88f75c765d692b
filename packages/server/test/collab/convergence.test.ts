/**
 * Real OT clients against the real server: each keeps a local copy, applies its own edits at
 * once, has at most one change in flight, and transforms remote changes against it (the
 * sharedb / @codemirror/collab client scheme). Edits race on the wire; at the end every client,
 * the server and the store must hold the same text.
 */
import { apply, codePointLength, type Op, oppositeSide, tieSide, transform } from '@jd-collab/ot';
import type { ServerMessage } from '@jd-collab/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentOf, type Harness, startHarness, type TestClient } from './harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

function rng(seed: number) {
  let s = seed;
  return (max: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % max;
  };
}

class OtPeer {
  text = '';
  version = 0;
  inflight: { changeId: string; op: Op } | null = null;
  sent = 0;
  done!: Promise<void>;
  private finish!: () => void;
  private fail!: (error: unknown) => void;

  constructor(
    readonly name: string,
    readonly client: TestClient,
    private readonly edits: number,
    private readonly random: (max: number) => number,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    client.onMessage((m) => {
      // A failed expectation inside a socket event must fail the test, not vanish.
      try {
        this.receive(m);
      } catch (error) {
        this.fail(error);
      }
    });
  }

  private receive(m: ServerMessage): void {
    if (m.type === 'system.error' || m.type === 'conflict.detected') {
      throw new Error(`${this.name} got ${m.type}: ${JSON.stringify(m.payload)}`);
    }
    if (m.type === 'document.open') {
      this.start(m.payload.content, m.payload.version);
      return;
    }
    if (m.type !== 'document.change') return;
    const p = m.payload as { ack?: true; changeId: string; version: number; op?: Op; userId?: string };
    if (p.ack) {
      expect(p.changeId).toBe(this.inflight?.changeId);
      this.version = p.version;
      this.inflight = null;
      this.next();
      return;
    }
    expect(p.version).toBe(this.version + 1);
    let remote = p.op!;
    if (this.inflight) {
      // The server rebases our change in flight over `remote` with ties by author (its sub is our
      // name): the same side here, the opposite one for `remote`.
      const mine = this.inflight.op;
      const side = tieSide(this.name, p.userId!);
      this.inflight = { ...this.inflight, op: transform(mine, remote, side) };
      remote = transform(remote, mine, oppositeSide(side));
    }
    this.text = apply(this.text, remote);
    this.version = p.version;
  }

  private start(initialText: string, initialVersion: number): void {
    this.text = initialText;
    this.version = initialVersion;
    this.next();
  }

  private next(): void {
    if (this.sent === this.edits) {
      this.finish();
      return;
    }
    const length = codePointLength(this.text);
    const pos = this.random(length + 1);
    const pieces = ['a', 'b', '😀', '中文', 'é', ' '];
    let op: Op;
    if (length > 0 && this.random(3) === 0) {
      const count = 1 + this.random(Math.min(3, length - Math.min(pos, length - 1)));
      const at = Math.min(pos, length - 1);
      op = at > 0 ? [at, { d: count }] : [{ d: count }];
    } else {
      const piece = pieces[this.random(pieces.length)]!;
      op = pos > 0 ? [pos, piece] : [piece];
    }
    this.text = apply(this.text, op);
    const changeId = `${this.name}-${this.sent++}`;
    this.inflight = { changeId, op };
    this.client.send({ type: 'document.change', payload: { changeId, baseVersion: this.version, op } });
  }
}

describe('convergence', () => {
  it('converges with six OT clients editing concurrently', async () => {
    const edits = 15;
    const random = rng(7);
    const peers: OtPeer[] = [];
    for (let i = 0; i < 6; i++) {
      const client = await h.connect('doc-converge', { sub: `peer${i}` });
      peers.push(new OtPeer(`peer${i}`, client, edits, random));
    }
    await Promise.all(peers.map((p) => p.done));
    const total = peers.length * edits;
    // Everyone has seen every version once its last ack arrived and the others caught up.
    const server = await contentOf(peers[0]!.client);
    expect(server.version).toBe(total);
    for (const p of peers) {
      if (p.version < total) {
        await p.client.next(
          (m) => m.type === 'document.change' && (m.payload as { version: number }).version === total,
          'the last version',
        );
      }
      expect(p.inflight).toBeNull();
      expect(p.text).toBe(server.content);
      expect(p.client.violations).toEqual([]);
    }
    // The edits really raced: the server had to transform some of them.
    const transforms = Number(/collab_transforms_total (\d+)/.exec(await h.metrics.render())?.[1]);
    expect(transforms).toBeGreaterThan(0);
    expect(await h.metrics.render()).toMatch(new RegExp(`collab_changes_committed_total ${total}\\b`));
    let replayed = '';
    for (const c of await h.store.getChanges('doc-converge', 0)) replayed = apply(replayed, c.op);
    expect(replayed).toBe(server.content);
  });
});
