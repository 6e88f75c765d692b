import { ChangeSet, type ChangeSpec, EditorState, Text } from '@codemirror/state';
import { apply, type Op, OTError } from '@jd-collab/ot';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeSetToOp, opToChangeSpecs, splitsSurrogatePair } from '../src/editor/changes.js';

/** Runs `spec` as a CodeMirror transaction on `doc` and returns the op it becomes. */
function opOf(doc: string, spec: ChangeSpec): { op: Op; after: string } {
  const state = EditorState.create({ doc });
  const tr = state.update({ changes: spec });
  return { op: changeSetToOp(tr.changes, tr.startState.doc, tr.state.doc), after: tr.state.doc.toString() };
}

/** Applies specs from opToChangeSpecs the way the editor does. */
function applySpecs(doc: string, op: Op): string {
  return ChangeSet.of(opToChangeSpecs(op, doc), doc.length)
    .apply(Text.of(doc.split('\n')))
    .toString();
}

describe('CodeMirror changes to ops (UTF-16 → code points)', () => {
  it('counts an emoji before the edit as one code point', () => {
    // '🎉' is 2 UTF-16 units: CodeMirror inserts at 3, the op retains 2 code points.
    expect(opOf('a🎉b', { from: 3, insert: 'X' }).op).toEqual([2, 'X']);
  });

  it('deletes a whole emoji as one code point, and a ZWJ sequence as its code points', () => {
    expect(opOf('x🎉y', { from: 1, to: 3 }).op).toEqual([1, { d: 1 }]);
    // 👩‍💻 = woman + ZWJ + laptop: 5 UTF-16 units, 3 code points.
    expect(opOf('👩‍💻!', { from: 0, to: 5 }).op).toEqual([{ d: 3 }]);
  });

  it('keeps combining marks as separate code points', () => {
    const decomposed = 'cafe\u0301 ok'; // e + COMBINING ACUTE ACCENT
    expect(opOf(decomposed, { from: 5, insert: '!' }).op).toEqual([5, '!']);
    expect(opOf(decomposed, { from: 4, to: 5 }).op).toEqual([4, { d: 1 }]);
  });

  it('turns several changes of one transaction into one op', () => {
    const { op, after } = opOf('🙂 hello world 🙂', [
      { from: 0, to: 2, insert: 'Hi' },
      { from: 9, to: 14, insert: 'there' },
      { from: 17, insert: '!' },
    ]);
    expect(after).toBe('Hi hello there 🙂!');
    expect(apply('🙂 hello world 🙂', op)).toBe(after);
  });

  it('falls back to a text diff when a change cuts a surrogate pair', () => {
    const before = 'a🎉b'; // 🎉 = \uD83C\uDF89
    expect(splitsSurrogatePair(before, 2)).toBe(true);
    // Swapping only the low half turns 🎉 into 🎊: in code points, one character was replaced.
    const { op, after } = opOf(before, { from: 2, to: 3, insert: '\uDF8A' });
    expect(after).toBe('a🎊b');
    expect(op).toEqual([1, '🎊', { d: 1 }]);
  });

  it('refuses a change that leaves half a character (not valid Unicode)', () => {
    expect(() => opOf('a🎉b', { from: 2, to: 3, insert: 'x' })).toThrow(OTError);
  });

  it('maps any transaction to an op that produces the same text (property)', () => {
    const alphabet = fc.constantFrom('a', 'é', 'e\u0301', '🎉', '👩‍💻', '\n', ' ', '中', '🇵🇹');
    const text = fc.array(alphabet, { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.array(fc.tuple(fc.nat(), fc.nat(5), text), { maxLength: 4 }), (doc, edits) => {
        // Changes at code point boundaries, as typing and pasting produce.
        const boundaries = [0];
        for (const ch of Array.from(doc)) boundaries.push(boundaries[boundaries.length - 1]! + ch.length);
        const specs = edits
          .map(([at, span, insert]) => {
            const i = at % boundaries.length;
            const j = Math.min(i + span, boundaries.length - 1);
            return { from: boundaries[i]!, to: boundaries[j]!, insert };
          })
          .sort((x, y) => x.from - y.from)
          .filter((s, k, all) => k === 0 || s.from >= all[k - 1]!.to);
        const { op, after } = opOf(doc, specs);
        expect(apply(doc, op)).toBe(after);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ops to CodeMirror changes (code points → UTF-16)', () => {
  it('places a remote insert after an emoji correctly', () => {
    expect(opToChangeSpecs([2, 'X'], 'a🎉b')).toEqual([{ from: 3, insert: 'X' }]);
  });

  it('deletes whole astral characters and flags', () => {
    const doc = 'Go 🇵🇹 now';
    const op: Op = [3, { d: 2 }, 'PT'];
    expect(applySpecs(doc, op)).toBe('Go PT now');
    expect(applySpecs(doc, op)).toBe(apply(doc, op));
  });

  it('merges a delete and an insert at one place into one replacement', () => {
    expect(opToChangeSpecs([1, { d: 2 }, 'Z'], 'a👩‍💻')).toEqual([{ from: 1, to: 4, insert: 'Z' }]);
  });

  it('refuses an op that reaches past the text', () => {
    expect(() => opToChangeSpecs([5, 'x'], 'ab🎉')).toThrow(RangeError);
    expect(() => opToChangeSpecs([1, { d: 3 }], 'ab')).toThrow(RangeError);
  });

  it('agrees with the OT engine for any op (property)', () => {
    const alphabet = fc.constantFrom('a', 'ß', 'e\u0301', '🎉', '👍🏽', '\n', '日');
    const text = fc.array(alphabet, { minLength: 0, maxLength: 25 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, fc.array(fc.tuple(fc.nat(), fc.nat(4), text), { maxLength: 4 }), (doc, edits) => {
        const length = Array.from(doc).length;
        const op: Op = [];
        let pos = 0;
        for (const [gap, del, ins] of edits) {
          const retain = Math.min(gap % 4, length - pos);
          if (retain > 0) op.push(retain);
          pos += retain;
          const d = Math.min(del, length - pos);
          if (ins !== '') op.push(ins);
          if (d > 0) op.push({ d });
          pos += d;
        }
        expect(applySpecs(doc, op)).toBe(apply(doc, op));
      }),
      { numRuns: 300 },
    );
  });
});
