import { describe, expect, it } from 'vitest';
import {
  CLIENT_MESSAGE_TYPES,
  isClientMessageType,
  isMessageType,
  isServerMessageType,
  MessageType,
  SERVER_MESSAGE_TYPES,
} from '../src/message-types.js';

describe('MessageType', () => {
  it('holds the 13 type strings of the design plus document.updated and document.changes', () => {
    expect(Object.values(MessageType).sort()).toEqual(
      [
        'conflict.detected',
        'document.change',
        'document.changes',
        'document.close',
        'document.open',
        'document.save',
        'document.updated',
        'selection.change',
        'cursor.position',
        'sync.request',
        'sync.response',
        'system.error',
        'system.heartbeat',
        'system.reconnect',
        'user.presence',
      ].sort(),
    );
  });

  it('gives every type at least one direction', () => {
    for (const type of Object.values(MessageType)) {
      expect(isClientMessageType(type) || isServerMessageType(type), type).toBe(true);
    }
    expect(CLIENT_MESSAGE_TYPES).not.toContain('system.error');
    expect(SERVER_MESSAGE_TYPES).not.toContain('sync.request');
    expect(SERVER_MESSAGE_TYPES).not.toContain('document.close');
  });

  it('rejects non-types', () => {
    for (const value of ['document', 'DOCUMENT_OPEN', '', 5, null, undefined])
      expect(isMessageType(value)).toBe(false);
  });
});
