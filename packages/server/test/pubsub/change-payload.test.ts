import { describe, expect, it } from 'vitest';
import { changePayload, parseChangePayload } from '../../src/pubsub/change-payload.js';
import { PubSubError } from '../../src/pubsub/types.js';
import type { StoredChange } from '../../src/storage/types.js';

const change: StoredChange = {
  documentId: 'doc',
  version: 3,
  changeId: 'c-3',
  userId: 'u',
  userName: 'Zoë 😀',
  op: [2, 'é😀'],
  createdAt: 1_000,
};

describe('change payloads', () => {
  it('round-trips through JSON', () => {
    const payload = JSON.parse(JSON.stringify(changePayload([change])));
    expect(parseChangePayload(payload, 'doc')).toEqual([change]);
  });

  it('refuses what is not a change payload of that document', () => {
    const bad: unknown[] = [
      null,
      {},
      { changes: [] },
      { changes: [{ ...change, documentId: 'other' }] },
      { changes: [{ ...change, version: 0 }] },
      { changes: [{ ...change, version: '3' }] },
      { changes: [{ ...change, op: 'x' }] },
      { changes: [change, { ...change, changeId: 7 }] },
    ];
    for (const payload of bad) {
      expect(() => parseChangePayload(payload, 'doc'), JSON.stringify(payload)).toThrow(PubSubError);
    }
  });
});
