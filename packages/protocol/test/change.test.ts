import { apply } from '@jd-collab/ot';
import { describe, expect, it } from 'vitest';
import { changeBroadcastPayload, changeToOp, normalizeChange } from '../src/change.js';
import { changeBroadcastPayloadSchema } from '../src/server-messages.js';

describe('normalizeChange', () => {
  it('passes the full form through', () => {
    expect(normalizeChange({ changeId: 'a', baseVersion: 2, op: [5, ' World'] })).toEqual({
      changeId: 'a',
      baseVersion: 2,
      op: [5, ' World'],
    });
  });

  it('turns simple inserts and deletes into ops counting code points', () => {
    const doc = 'a😀b';
    const insert = changeToOp({ operation: 'insert', position: 2, content: '👍🏽' });
    expect(apply(doc, insert)).toBe('a😀👍🏽b');
    const del = changeToOp({ operation: 'delete', position: 1, length: 1 });
    expect(apply(doc, del)).toBe('ab');
  });

  it('keeps optional changeId and baseVersion only when given', () => {
    expect(normalizeChange({ operation: 'delete', position: 0, length: 1 })).toEqual({ op: [{ d: 1 }] });
    expect(
      normalizeChange({ operation: 'insert', position: 0, content: 'x', changeId: 'c', baseVersion: 0 }),
    ).toEqual({ op: ['x'], changeId: 'c', baseVersion: 0 });
  });
});

describe('changeBroadcastPayload', () => {
  const base = { changeId: 'c', version: 9, userId: 'u', userName: 'U' };

  it('adds simple insert fields for a single insert (positions in code points)', () => {
    const payload = changeBroadcastPayload({ ...base, op: [2, '🎉'] });
    expect(payload).toEqual({ ...base, op: [2, '🎉'], operation: 'insert', position: 2, content: '🎉' });
    expect(changeBroadcastPayloadSchema.parse(payload)).toEqual(payload);
  });

  it('adds simple delete fields for a single delete', () => {
    expect(changeBroadcastPayload({ ...base, op: [3, { d: 2 }] })).toEqual({
      ...base,
      op: [3, { d: 2 }],
      operation: 'delete',
      position: 3,
      length: 2,
    });
  });

  it('leaves the simple fields out for compound ops', () => {
    const payload = changeBroadcastPayload({ ...base, op: [1, 'x', 2, { d: 1 }] });
    expect(payload).toEqual({ ...base, op: [1, 'x', 2, { d: 1 }] });
    expect(payload).not.toHaveProperty('operation');
  });
});
