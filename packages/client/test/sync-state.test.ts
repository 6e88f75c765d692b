import { apply, codePointLength, type Op, OTError } from '@jd-collab/ot';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffOp } from '../src/diff-op.js';
import { SyncState } from '../src/sync-state.js';

function state(text: string, version = 0): SyncState {
  let n = 0;
  return new SyncState({ text, version, newChangeId: () => `id-${n++}` });
}

describe('SyncState', () => {
  it('walks synchronized → awaitingAck → awaitingWithBuffer → synchronized', () => {
    const s = state('abc');
    expect(s.status).toBe('synchronized');
    s.applyLocal([3, 'd']);
    expect(s.status).toBe('synchronized'); // buffered but not taken yet
    expect(s.pendingCount).toBe(1);
    const first = s.takeSendable();
    expect(first).toEqual({ changeId: 'id-0', baseVersion: 0, op: [3, 'd'] });
    expect(s.status).toBe('awaitingAck');
    expect(s.takeSendable()).toBeNull();
    s.applyLocal([4, 'e']);
    s.applyLocal([5, 'f']);
    expect(s.status).toBe('awaitingWithBuffer');
    expect(s.pendingCount).toBe(3);
    expect(s.ack('id-0', 1)).toBe(true);
    expect(s.confirmedText).toBe('abcd');
    expect(s.takeSendable()).toEqual({ changeId: 'id-1', baseVersion: 1, op: [4, 'ef'] });
    expect(s.ack('id-1', 2)).toBe(true);
    expect(s.status).toBe('synchronized');
    expect(s.text).toBe('abcdef');
    expect(s.pendingCount).toBe(0);
  });

  it('keeps the changeId of an inflight change and rebases it onto remote changes', () => {
    const s = state('hello');
    s.applyLocal([5, '!']);
    s.takeSendable();
    const outcome = s.applyRemote({ version: 1, op: ['¡'], changeId: 'other' });
    expect(outcome).toEqual({ kind: 'remote', op: ['¡'] });
    expect(s.text).toBe('¡hello!');
    expect(s.inflight).toEqual({ changeId: 'id-0', baseVersion: 1, op: [6, '!'] });
  });

  it('lets the committed remote insert win a tie, as the server does', () => {
    const s = state('ab');
    s.applyLocal([1, 'L']);
    s.takeSendable();
    const outcome = s.applyRemote({ version: 1, op: [1, 'R'] });
    // Server order: R committed first, our L transformed with side 'right' goes after it.
    expect(s.text).toBe('aRLb');
    expect(outcome).toEqual({ kind: 'remote', op: [1, 'R'] });
    expect(s.inflight?.op).toEqual([2, 'L']);
  });

  it('ignores a stale or foreign ack and a duplicate broadcast', () => {
    const s = state('x');
    s.applyLocal(['a']);
    s.takeSendable();
    expect(s.ack('nope', 1)).toBe(false);
    expect(s.ack('id-0', 1)).toBe(true);
    expect(s.ack('id-0', 1)).toBe(false); // second ack of a resent change
    expect(s.applyRemote({ version: 1, op: ['z'] })).toEqual({ kind: 'duplicate' });
    expect(s.text).toBe('ax');
  });

  it('treats a committed change carrying our inflight id as its ack, not as a remote edit', () => {
    const s = state('x');
    s.applyLocal(['a']);
    s.takeSendable();
    expect(s.applyRemote({ version: 1, op: ['a'], changeId: 'id-0' })).toEqual({
      kind: 'ack',
      changeId: 'id-0',
    });
    expect(s.text).toBe('ax');
    expect(s.status).toBe('synchronized');
  });

  it('waits for the missing broadcasts when a de-duplicated ack overtakes them', () => {
    const s = state('x');
    s.applyLocal(['a']);
    s.takeSendable();
    expect(s.ack('id-0', 3)).toBe(false);
    expect(s.status).toBe('awaitingAck');
    s.applyRemote({ version: 1, op: [1, 'y'] });
    expect(s.status).toBe('awaitingAck');
    s.applyRemote({ version: 2, op: [2, 'z'] });
    expect(s.status).toBe('synchronized');
    expect(s.version).toBe(3);
    expect(s.confirmedText).toBe('axyz');
  });

  it('reports a version gap instead of applying out of order', () => {
    const s = state('x');
    expect(s.applyRemote({ version: 2, op: ['a'] })).toEqual({ kind: 'gap', expected: 1, received: 2 });
    expect(s.text).toBe('x');
    expect(s.version).toBe(0);
  });

  it('rejects a remote op that does not fit and leaves the state untouched', () => {
    const s = state('abc');
    s.applyLocal([3, 'd']);
    expect(() => s.applyRemote({ version: 1, op: [10, 'x'] })).toThrow(OTError);
    expect(s.text).toBe('abcd');
    expect(s.version).toBe(0);
  });

  it('rejects a local op that does not fit', () => {
    const s = state('abc');
    expect(() => s.applyLocal([4, { d: 1 }])).toThrow(OTError);
    expect(s.pendingCount).toBe(0);
  });

  it('counts positions in code points (emoji, combining marks, CJK)', () => {
    const s = state('👩‍💻e\u0301工');
    // 👩 ZWJ 💻 e ◌́ 工 = 6 code points
    s.applyLocal([6, '🇫🇷']);
    s.takeSendable();
    s.applyRemote({ version: 1, op: [3, { d: 2 }] });
    expect(s.text).toBe('👩‍💻工🇫🇷');
    expect(s.inflight?.op).toEqual([4, '🇫🇷']);
  });

  it('replays a resync list, recognising our own change among the others', () => {
    const s = state('ab');
    s.applyLocal([2, 'c']);
    s.takeSendable();
    s.applyLocal([3, 'd']);
    const { ops, gap } = s.resync([
      { version: 2, op: [3, 'c'], changeId: 'id-0' },
      { version: 1, op: ['>'], changeId: 'peer-1' },
      { version: 3, op: [4, '<'], changeId: 'peer-2' },
    ]);
    expect(gap).toBeNull();
    expect(ops).toEqual([['>'], [4, '<']]);
    expect(s.version).toBe(3);
    expect(s.confirmedText).toBe('>abc<');
    expect(s.text).toBe('>abc<d');
    expect(s.takeSendable()).toEqual({ changeId: 'id-1', baseVersion: 3, op: [5, 'd'] });
  });

  describe('resetToSnapshot', () => {
    it('replaces the text when nothing is pending and returns the editor op', () => {
      const s = state('hello world');
      const op = s.resetToSnapshot(9, 'hello brave world', { inflightIncluded: false });
      expect(apply('hello world', op)).toBe('hello brave world');
      expect(s.version).toBe(9);
      expect(s.status).toBe('synchronized');
    });

    it('keeps an inflight change the snapshot does not contain, as a new buffered edit', () => {
      const s = state('hello');
      s.applyLocal([5, '!']);
      s.takeSendable();
      const before = s.text;
      const op = s.resetToSnapshot(4, 'oh hello', { inflightIncluded: false });
      expect(s.text).toBe('oh hello!');
      expect(apply(before, op)).toBe(s.text);
      expect(s.pendingCount).toBe(1);
      expect(s.takeSendable()).toEqual({ changeId: 'id-1', baseVersion: 4, op: [8, '!'] });
    });

    it('does not duplicate an inflight change the snapshot already contains', () => {
      const s = state('hello');
      s.applyLocal([5, '!']);
      s.takeSendable();
      s.applyLocal([6, '?']);
      s.resetToSnapshot(4, 'oh hello!', { inflightIncluded: true });
      expect(s.text).toBe('oh hello!?');
      expect(s.pendingCount).toBe(1);
      expect(s.takeSendable()?.op).toEqual([9, '?']);
    });

    it('always yields an editor op that turns the old local text into the new one', () => {
      const text = fc.string({ unit: fc.constantFrom('a', 'b', '工', '😀', '\u0301'), maxLength: 12 });
      fc.assert(
        fc.property(text, text, text, fc.nat(), fc.boolean(), (base, local, snapshot, cut, included) => {
          const s = state(base);
          // A local edit that replaces the tail of base with `local`.
          const keep = cut % (codePointLength(base) + 1);
          s.applyLocal(diffOp(base, Array.from(base).slice(0, keep).join('') + local));
          s.takeSendable();
          const before = s.text;
          const op = s.resetToSnapshot(1, snapshot, { inflightIncluded: included });
          expect(apply(before, op)).toBe(s.text);
          const sendable = s.takeSendable();
          expect(sendable === null ? snapshot : apply(snapshot, sendable.op)).toBe(s.text);
        }),
        { seed: 7, numRuns: 300 },
      );
    });
  });

  it('keeps the invariant on a document of many blocks: local, remote and acked edits anywhere', () => {
    // Texts far longer than one storage block, so edits land in, across and between blocks.
    const base = 'Senior engineer 😀 wanted. '.repeat(400);
    const edit = fc.record({
      remote: fc.boolean(),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      insert: fc.string({ unit: fc.constantFrom('x', '工', '😀'), maxLength: 40 }),
      remove: fc.integer({ min: 0, max: 3_000 }),
      named: fc.boolean(),
      send: fc.boolean(),
      ack: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 30 }), (edits) => {
        const s = state(base);
        let server = base; // the server's document: what confirmedText must be
        let editor = base; // the editor's document: local ops and the remote ops SyncState returns
        let version = 0;
        let next = 0;
        const ackInflight = () => {
          const inflight = s.inflight;
          if (inflight === null) return;
          server = apply(server, inflight.op);
          expect(s.ack(inflight.changeId, ++version)).toBe(true);
        };
        for (const e of edits) {
          const doc = e.remote ? server : s.text;
          const length = codePointLength(doc);
          const at = Math.floor(e.at * length);
          const remove = Math.min(e.remove, length - at);
          const op: Op = [];
          if (at > 0) op.push(at);
          if (e.insert !== '') op.push(e.insert);
          if (remove > 0)
            op.push({
              d: e.named
                ? Array.from(doc)
                    .slice(at, at + remove)
                    .join('')
                : remove,
            });
          if (e.remote) {
            server = apply(server, op);
            const outcome = s.applyRemote({ version: ++version, op, changeId: `other-${next++}` });
            if (outcome.kind !== 'remote') throw new Error(`expected a remote outcome, got ${outcome.kind}`);
            editor = apply(editor, outcome.op);
          } else {
            s.applyLocal(op);
            editor = apply(editor, op);
          }
          if (e.send) s.takeSendable();
          if (e.ack) ackInflight();
          expect(s.text).toBe(editor);
          expect(s.confirmedText).toBe(server);
        }
        // Sending and acking everything left makes all three agree.
        ackInflight();
        s.takeSendable();
        ackInflight();
        expect(s.status).toBe('synchronized');
        expect(s.text).toBe(server);
        expect(s.confirmedText).toBe(server);
        expect(editor).toBe(server);
      }),
      { seed: 13, numRuns: 60 },
    );
  });

  it('discardPending reverts to the confirmed text', () => {
    const s = state('abc');
    s.applyLocal([3, 'd']);
    s.takeSendable();
    s.applyLocal([{ d: 1 }]);
    const op = s.discardPending();
    expect(apply('bcd', op)).toBe('abc');
    expect(s.text).toBe('abc');
    expect(s.pendingCount).toBe(0);
  });
});

describe('diffOp', () => {
  it('produces an op mapping any text to any other (code points)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '工', '😀', '\u0301', '👩‍💻'), maxLength: 16 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        const op: Op = diffOp(a, b);
        expect(apply(a, op)).toBe(b);
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});

describe('SyncState caret mapping (what the server knows vs what we show)', () => {
  it('maps carets around pending edits both ways', () => {
    const s = state('abcdef', 3);
    s.applyLocal([2, 'XY']); // in flight once taken
    s.takeSendable();
    s.applyLocal([7, { d: 1 }]); // buffered: "abXYcdef" -> "abXYcde"
    expect(s.text).toBe('abXYcde');
    expect(s.pendingOp).toEqual([2, 'XY', 3, { d: 1 }]);
    // After "c" locally (5) is after "c" in the server's text (3), and back.
    expect(s.toConfirmedPosition(5)).toBe(3);
    expect(s.toLocalPosition(3)).toBe(5);
    // A caret inside our own pending insert falls back to where it starts.
    expect(s.toConfirmedPosition(3)).toBe(2);
    // A remote caret at our pending insert stays in front of it.
    expect(s.toLocalPosition(2)).toBe(2);
    // Where we deleted, the caret collapses to the deletion.
    expect(s.toLocalPosition(6)).toBe(7);
  });

  it('is the identity when nothing is pending', () => {
    const s = state('héllo 😀', 0);
    for (let p = 0; p <= 7; p++) {
      expect(s.toConfirmedPosition(p)).toBe(p);
      expect(s.toLocalPosition(p)).toBe(p);
    }
  });

  it('round-trips every caret that is not inside our own pending text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 3 }),
        (text, at, caret, insert) => {
          const s = state(text, 1);
          const pos = at % (codePointLength(text) + 1);
          s.applyLocal(pos > 0 ? [pos, insert] : [insert]);
          const p = caret % (codePointLength(text) + 1);
          const local = s.toLocalPosition(p);
          expect(s.toConfirmedPosition(local)).toBe(p);
        },
      ),
      { seed: 20261126, numRuns: 500 },
    );
  });
});
