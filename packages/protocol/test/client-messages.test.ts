import { describe, expect, it } from 'vitest';
import { clientMessageSchema, isFullChange } from '../src/client-messages.js';
import { CLIENT_MESSAGE_TYPES, MessageType } from '../src/message-types.js';
import { accept, refuse } from './helpers.js';

/** One valid payload per client message type. */
const validPayloads: Record<(typeof CLIENT_MESSAGE_TYPES)[number], object> = {
  'document.open': {},
  'document.close': {},
  'document.change': { changeId: 'c-1', baseVersion: 0, op: [5, ' World'] },
  'document.save': { name: 'Final draft' },
  'cursor.position': { position: 3 },
  'selection.change': { anchor: 1, head: 4 },
  'user.presence': { status: 'idle' },
  'sync.request': { sinceVersion: 7 },
  'system.heartbeat': { t: 123.5 },
};

describe('client messages', () => {
  it.each(CLIENT_MESSAGE_TYPES)('accepts a valid %s and agrees with clientMessageSchema', (type) => {
    const envelope = {
      type,
      payload: validPayloads[type],
      metadata: { correlationId: 'corr-1', timestamp: 1 },
    };
    const message = accept(envelope);
    expect(message).toEqual(envelope);
    expect(clientMessageSchema.parse(envelope)).toEqual(message);
  });

  it.each(CLIENT_MESSAGE_TYPES)('refuses %s with a non-object payload', (type) => {
    for (const payload of [null, [], 'x', 5, true]) {
      refuse({ type, payload }, 'INVALID_MESSAGE');
    }
  });

  it('treats a missing payload as {} for messages without required fields', () => {
    expect(accept({ type: 'sync.request' })).toEqual({ type: 'sync.request', payload: {} });
    expect(accept({ type: 'document.close' })).toEqual({ type: 'document.close', payload: {} });
    refuse({ type: 'document.save' }, 'INVALID_MESSAGE');
  });

  it('strips unknown payload and metadata fields', () => {
    const message = accept({
      type: 'cursor.position',
      payload: { position: 2, colour: 'red' },
      metadata: { correlationId: 'x', extra: 1 },
      extraTopLevel: true,
    });
    expect(message).toEqual({
      type: 'cursor.position',
      payload: { position: 2 },
      metadata: { correlationId: 'x' },
    });
  });

  it('refuses unknown and server-only types with UNKNOWN_TYPE', () => {
    expect(refuse({ type: 'document.delete', payload: {} }, 'UNKNOWN_TYPE').message).toContain(
      'not a known type',
    );
    for (const type of ['system.error', 'sync.response', 'conflict.detected', 'system.reconnect']) {
      expect(refuse({ type, payload: {} }, 'UNKNOWN_TYPE').message).toContain('client');
    }
  });

  it('refuses a missing or non-string type with INVALID_MESSAGE', () => {
    refuse({ payload: {} }, 'INVALID_MESSAGE');
    refuse({ type: 5, payload: {} }, 'INVALID_MESSAGE');
    refuse({ type: null, payload: {} }, 'INVALID_MESSAGE');
  });

  it('refuses invalid metadata but keeps a readable correlationId in the error', () => {
    const error = refuse(
      { type: 'system.heartbeat', payload: {}, metadata: { correlationId: 'c-9', timestamp: 'now' } },
      'INVALID_MESSAGE',
    );
    expect(error.correlationId).toBe('c-9');
    expect(error.message).toContain('timestamp');
    refuse({ type: 'system.heartbeat', payload: {}, metadata: 'x' }, 'INVALID_MESSAGE');
    refuse(
      { type: 'system.heartbeat', payload: {}, metadata: { correlationId: 'c'.repeat(129) } },
      'INVALID_MESSAGE',
    );
  });

  describe('document.change full form', () => {
    const base = { changeId: 'abc', baseVersion: 3, op: [2, { d: 1 }, 'x'] };

    it('accepts valid change ids of 1..64 characters of [A-Za-z0-9_-:.]', () => {
      for (const changeId of ['a', 'A-z_0:9.x', 'c'.repeat(64), '0190f1c2-7d3e-7b2a-9c1d-0123456789ab']) {
        const message = accept({ type: 'document.change', payload: { ...base, changeId } });
        expect(message.payload).toMatchObject({ changeId });
      }
    });

    it('refuses bad change ids with INVALID_MESSAGE', () => {
      for (const changeId of ['', 'c'.repeat(65), 'has space', 'slash/no', 'émoji', 5, null]) {
        refuse({ type: 'document.change', payload: { ...base, changeId } }, 'INVALID_MESSAGE');
      }
    });

    it('refuses missing, negative, fractional or unsafe baseVersion with INVALID_MESSAGE', () => {
      for (const baseVersion of [undefined, -1, 1.5, 2 ** 53, '3', null]) {
        const error = refuse(
          { type: 'document.change', payload: { ...base, baseVersion } },
          'INVALID_MESSAGE',
        );
        expect(error.message).toContain('baseVersion');
        expect(error.changeId).toBe('abc');
      }
    });

    it('refuses malformed ops with INVALID_OP and names the component', () => {
      const badOps: unknown[] = [
        'not an array',
        [0],
        [-2],
        [1.5],
        [''],
        [{ d: 0 }],
        [{ d: 1, x: 1 }],
        [{ i: 'x' }],
        [null],
        [[1]],
        ['\uD800'],
      ];
      for (const op of badOps) {
        const error = refuse({ type: 'document.change', payload: { ...base, op } }, 'INVALID_OP');
        expect(error.message).toContain('op');
        expect(error.changeId).toBe('abc');
      }
    });

    it('refuses a change with both a bad op and a bad changeId as INVALID_MESSAGE', () => {
      refuse(
        { type: 'document.change', payload: { changeId: '', baseVersion: 0, op: [0] } },
        'INVALID_MESSAGE',
      );
    });

    it('accepts emoji and combining marks in inserts, and an empty (no-op) op', () => {
      const op = [1, '👍🏽 é', { d: 2 }];
      expect(accept({ type: 'document.change', payload: { ...base, op } }).payload).toMatchObject({ op });
      expect(accept({ type: 'document.change', payload: { ...base, op: [] } }).payload).toMatchObject({
        op: [],
      });
    });

    it('accepts large inserts (bounded only by the frame size)', () => {
      const op = ['x'.repeat(500_000)];
      expect(accept({ type: 'document.change', payload: { ...base, op } }).payload).toMatchObject({ op });
    });

    it('selects the full form whenever op is present', () => {
      const message = accept({
        type: 'document.change',
        payload: { ...base, operation: 'insert', position: 0 },
      });
      if (message.type !== MessageType.DOCUMENT_CHANGE) throw new Error('wrong type');
      expect(isFullChange(message.payload)).toBe(true);
      expect(message.payload).toEqual(base);
    });
  });

  describe('document.change simple form', () => {
    it('accepts insert and delete with and without changeId/baseVersion', () => {
      const variants = [
        { operation: 'insert', position: 0, content: 'Hello ' },
        { operation: 'insert', position: 6, content: '😀', changeId: 's:1', baseVersion: 2 },
        { operation: 'delete', position: 3, length: 2 },
        { operation: 'delete', position: 0, length: 1, changeId: 'd.1', baseVersion: 0 },
      ];
      for (const payload of variants) {
        const message = accept({ type: 'document.change', payload });
        if (message.type !== MessageType.DOCUMENT_CHANGE) throw new Error('wrong type');
        expect(message.payload).toEqual(payload);
        expect(isFullChange(message.payload)).toBe(false);
      }
    });

    it('refuses bad edit fields with INVALID_OP', () => {
      const variants = [
        { operation: 'insert', position: -1, content: 'x' },
        { operation: 'insert', position: 0, content: '' },
        { operation: 'insert', position: 0 },
        { operation: 'insert', position: 0, content: 'bad \uDC00 surrogate' },
        { operation: 'delete', position: 0, length: 0 },
        { operation: 'delete', position: 0, content: 'x' },
        { operation: 'delete', position: 1.5, length: 1 },
        { operation: 'replace', position: 0, content: 'x' },
      ];
      for (const payload of variants) refuse({ type: 'document.change', payload }, 'INVALID_OP');
    });

    it('refuses bad optional fields with INVALID_MESSAGE', () => {
      refuse(
        {
          type: 'document.change',
          payload: { operation: 'insert', position: 0, content: 'x', baseVersion: -1 },
        },
        'INVALID_MESSAGE',
      );
      refuse(
        {
          type: 'document.change',
          payload: { operation: 'insert', position: 0, content: 'x', changeId: 'a b' },
        },
        'INVALID_MESSAGE',
      );
    });

    it('refuses a payload that is neither form with INVALID_MESSAGE naming both forms', () => {
      const error = refuse(
        { type: 'document.change', payload: { position: 1, content: 'x' } },
        'INVALID_MESSAGE',
      );
      expect(error.message).toContain('operation');
      expect(error.message).toContain('op');
    });
  });

  describe('other messages', () => {
    it('document.save trims the name and bounds it to 1..200 characters', () => {
      expect(accept({ type: 'document.save', payload: { name: '  v1  ' } }).payload).toEqual({ name: 'v1' });
      accept({ type: 'document.save', payload: { name: 'n'.repeat(200) } });
      refuse({ type: 'document.save', payload: { name: 'n'.repeat(201) } }, 'INVALID_MESSAGE');
      refuse({ type: 'document.save', payload: { name: '   ' } }, 'INVALID_MESSAGE');
      refuse({ type: 'document.save', payload: { name: 3 } }, 'INVALID_MESSAGE');
      refuse({ type: 'document.save', payload: {} }, 'INVALID_MESSAGE');
    });

    it('document.save refuses a name no storage can hold (U+0000, a lone surrogate)', () => {
      for (const name of ['v\u00001', '\ud800', 'x\udc00y']) {
        refuse({ type: 'document.save', payload: { name } }, 'INVALID_MESSAGE');
      }
      accept({ type: 'document.save', payload: { name: 'v1 🚀' } });
    });

    it('cursor.position and selection.change take non-negative safe integers', () => {
      for (const position of [-1, 0.5, 2 ** 53, '1', null]) {
        refuse({ type: 'cursor.position', payload: { position } }, 'INVALID_MESSAGE');
        refuse({ type: 'selection.change', payload: { anchor: 0, head: position } }, 'INVALID_MESSAGE');
      }
      refuse({ type: 'selection.change', payload: { anchor: 0 } }, 'INVALID_MESSAGE');
      accept({ type: 'selection.change', payload: { anchor: 9, head: 2 } });
    });

    it('user.presence takes active or idle only', () => {
      accept({ type: 'user.presence', payload: { status: 'active' } });
      refuse({ type: 'user.presence', payload: { status: 'joined' } }, 'INVALID_MESSAGE');
      refuse({ type: 'user.presence', payload: {} }, 'INVALID_MESSAGE');
    });

    it('sync.request takes an optional non-negative sinceVersion', () => {
      accept({ type: 'sync.request', payload: {} });
      accept({ type: 'sync.request', payload: { sinceVersion: 0 } });
      refuse({ type: 'sync.request', payload: { sinceVersion: -1 } }, 'INVALID_MESSAGE');
      refuse({ type: 'sync.request', payload: { sinceVersion: 'latest' } }, 'INVALID_MESSAGE');
    });

    it('system.heartbeat takes an optional finite t', () => {
      accept({ type: 'system.heartbeat', payload: {} });
      accept({ type: 'system.heartbeat', payload: { t: -5.25 } });
      refuse({ type: 'system.heartbeat', payload: { t: 'x' } }, 'INVALID_MESSAGE');
    });
  });
});
