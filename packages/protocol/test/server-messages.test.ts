import { describe, expect, it } from 'vitest';
import { encodeFrame, errorMessage, serverMessage, serverMetadata } from '../src/build.js';
import { userColor } from '../src/colors.js';
import { parseServerFrame, parseServerMessage } from '../src/envelope.js';
import { SERVER_MESSAGE_TYPES } from '../src/message-types.js';
import {
  isChangeAck,
  isSyncDelta,
  type PresenceUser,
  type ServerMessage,
  type ServerPayloads,
  serverMessageSchema,
} from '../src/server-messages.js';

const alice: PresenceUser = {
  sessionId: 'sess-a',
  userId: 'alice',
  name: 'Alice',
  color: userColor('alice'),
  status: 'active',
  lastActivity: 1_700_000_000_000,
  cursor: { position: 3 },
  selection: null,
};

/** One valid payload per server message type (document.change and sync.response have two forms each). */
const validPayloads: { [T in keyof ServerPayloads]: ServerPayloads[T][] } = {
  'document.open': [
    {
      documentId: 'jd-42',
      title: 'Senior Engineer',
      content: 'Hello 👋',
      version: 12,
      canWrite: true,
      self: { sessionId: 'sess-a', userId: 'alice', name: 'Alice', color: userColor('alice') },
      users: [alice, { ...alice, sessionId: 'sess-b', cursor: null, selection: { anchor: 0, head: 2 } }],
    },
  ],
  'document.change': [
    { ack: true, changeId: 'c1', version: 13 },
    { changeId: 'c2', version: 14, op: [3, 'x', { d: 1 }], userId: 'bob', userName: 'Bob' },
    {
      changeId: 'c3',
      version: 15,
      op: [3, 'x'],
      userId: 'bob',
      userName: 'Bob',
      operation: 'insert',
      position: 3,
      content: 'x',
    },
    {
      changeId: 'c4',
      version: 16,
      op: [3, { d: 2 }],
      userId: 'bob',
      userName: 'Bob',
      operation: 'delete',
      position: 3,
      length: 2,
    },
  ],
  'document.changes': [
    {
      changes: [
        { changeId: 'c2', version: 14, op: [3, 'x', { d: 1 }], userId: 'bob', userName: 'Bob' },
        { changeId: 'c3', version: 15, op: [3, 'x'], userId: 'carol', userName: 'Carol' },
      ],
    },
    { changes: [{ changeId: 'c4', version: 16, op: [3, { d: 2 }], userId: 'bob', userName: 'Bob' }] },
  ],
  'document.save': [
    {
      id: 'v-1',
      name: 'Final',
      version: 16,
      createdBy: 'alice',
      createdByName: 'Alice',
      createdAt: 1_700_000_000_000,
    },
  ],
  'document.updated': [
    {
      documentId: 'doc-1',
      title: 'Staff Engineer',
      department: '',
      status: 'review',
      updatedBy: 'alice',
      updatedByName: 'Alice',
      updatedAt: 1_700_000_000_000,
    },
  ],
  'cursor.position': [{ sessionId: 's', userId: 'u', name: 'U', color: '#112233', position: 0 }],
  'selection.change': [{ sessionId: 's', userId: 'u', name: 'U', color: '#112233', anchor: 5, head: 1 }],
  'user.presence': [
    { event: 'joined', user: alice },
    { event: 'idle', user: { ...alice, status: 'idle' } },
  ],
  'sync.response': [
    { version: 16, content: 'full text' },
    {
      version: 16,
      sinceVersion: 14,
      changes: [{ version: 15, changeId: 'c3', op: [3, 'x'], userId: 'bob' }],
    },
    { version: 16, sinceVersion: 16, changes: [] },
  ],
  'conflict.detected': [
    { changeId: 'c9', baseVersion: 20, currentVersion: 16, reason: 'baseVersion is ahead of the server' },
    { baseVersion: 1, currentVersion: 16, reason: 'history before version 5 is no longer kept' },
  ],
  'system.heartbeat': [{ serverTime: 1_700_000_000_000 }, { t: 42.5, serverTime: 1 }],
  'system.error': [
    { code: 'RATE_LIMITED', message: 'slow down', retryAfter: 250, correlationId: 'x', changeId: 'c' },
  ],
  'system.reconnect': [{ reason: 'Server restarting', retryAfter: 1000 }, { reason: 'maintenance' }],
};

const metadata = serverMetadata({
  version: 16,
  userId: 'bob',
  sessionId: 'sess-b',
  correlationId: 'k',
  timestamp: 5,
});

describe('server messages', () => {
  it('covers every server message type in the fixtures', () => {
    expect(Object.keys(validPayloads).sort()).toEqual([...SERVER_MESSAGE_TYPES].sort());
  });

  it.each(SERVER_MESSAGE_TYPES)(
    'round-trips every valid %s through encodeFrame and parseServerFrame',
    (type) => {
      for (const payload of validPayloads[type]) {
        const message = serverMessage(type, payload as never, metadata);
        const { batch, results } = parseServerFrame(encodeFrame(message));
        expect(batch).toBe(false);
        expect(results).toEqual([{ ok: true, message }]);
        expect(serverMessageSchema.parse(message)).toEqual(message);
      }
    },
  );

  it('round-trips a batch of server messages', () => {
    const messages: ServerMessage[] = [
      serverMessage('document.change', { ack: true, changeId: 'a', version: 1 }, metadata),
      serverMessage('system.heartbeat', { serverTime: 9 }, metadata),
    ];
    expect(parseServerFrame(encodeFrame(messages))).toEqual({
      batch: true,
      results: messages.map((message) => ({ ok: true, message })),
    });
  });

  it('requires server metadata with timestamp, version, userId and sessionId', () => {
    const payload = { serverTime: 1 };
    expect(parseServerMessage({ type: 'system.heartbeat', payload })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_MESSAGE' },
    });
    for (const key of ['timestamp', 'version', 'userId', 'sessionId'] as const) {
      const { [key]: _removed, ...partial } = metadata;
      expect(parseServerMessage({ type: 'system.heartbeat', payload, metadata: partial }).ok).toBe(false);
    }
    expect(
      parseServerMessage({ type: 'system.heartbeat', payload, metadata: { ...metadata, version: -1 } }).ok,
    ).toBe(false);
  });

  it('refuses client-only types and malformed payloads', () => {
    expect(parseServerMessage({ type: 'sync.request', payload: {}, metadata })).toMatchObject({
      error: { code: 'UNKNOWN_TYPE' },
    });
    const bad: [string, unknown][] = [
      ['document.change', { ack: true, changeId: 'a' }],
      ['document.change', { changeId: 'a', version: 1, op: [0], userId: 'u', userName: 'U' }],
      ['document.changes', { changes: [] }],
      ['document.changes', { changes: [{ ack: true, changeId: 'a', version: 1 }] }],
      ['document.open', { ...validPayloads['document.open'][0], documentId: 'no spaces allowed' }],
      ['user.presence', { event: 'arrived', user: alice }],
      ['user.presence', { event: 'joined', user: { ...alice, cursor: { position: -1 } } }],
      ['system.error', { code: 'NOT_A_CODE', message: 'x' }],
      ['sync.response', { version: 1 }],
      ['cursor.position', { sessionId: 's', userId: 'u', name: 'U', color: 'red', position: 0 }],
    ];
    for (const [type, payload] of bad) {
      const result = parseServerMessage({ type, payload, metadata });
      expect(result.ok, `${type} ${JSON.stringify(payload)}`).toBe(false);
    }
  });

  it('tells acks from broadcasts and delta from full syncs', () => {
    const [ack, broadcast] = validPayloads['document.change'];
    expect(isChangeAck(ack!)).toBe(true);
    expect(isChangeAck(broadcast!)).toBe(false);
    const [full, delta] = validPayloads['sync.response'];
    expect(isSyncDelta(full!)).toBe(false);
    expect(isSyncDelta(delta!)).toBe(true);
  });
});

describe('build helpers', () => {
  it('serverMetadata defaults to the system author and the current time, without undefined keys', () => {
    const before = Date.now();
    const meta = serverMetadata({ version: 3 });
    expect(meta).toEqual({
      timestamp: expect.any(Number),
      version: 3,
      userId: 'system',
      sessionId: 'system',
    });
    expect(meta.timestamp).toBeGreaterThanOrEqual(before);
    expect(Object.keys(meta)).not.toContain('correlationId');
  });

  it('errorMessage builds a valid system.error with the registry message and echoes correlationId', () => {
    const message = errorMessage('FORBIDDEN', {
      version: 4,
      correlationId: 'c-1',
      changeId: 'ch',
      timestamp: 7,
    });
    expect(message).toEqual({
      type: 'system.error',
      payload: {
        code: 'FORBIDDEN',
        message: 'You do not have permission to do this',
        correlationId: 'c-1',
        changeId: 'ch',
      },
      metadata: { timestamp: 7, version: 4, userId: 'system', sessionId: 'system', correlationId: 'c-1' },
    });
    expect(parseServerMessage(message)).toEqual({ ok: true, message });
  });
});
