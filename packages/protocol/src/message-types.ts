/**
 * Every `type` string of the protocol (the design's MessageType enum, as a const object so it is usable
 * as a value and as a union type). Which direction may use which type is fixed by CLIENT_MESSAGE_TYPES
 * and SERVER_MESSAGE_TYPES below.
 */
export const MessageType = {
  DOCUMENT_OPEN: 'document.open',
  DOCUMENT_CLOSE: 'document.close',
  DOCUMENT_CHANGE: 'document.change',
  DOCUMENT_CHANGES: 'document.changes',
  DOCUMENT_SAVE: 'document.save',
  DOCUMENT_UPDATED: 'document.updated',
  CURSOR_POSITION: 'cursor.position',
  SELECTION_CHANGE: 'selection.change',
  USER_PRESENCE: 'user.presence',
  SYNC_REQUEST: 'sync.request',
  SYNC_RESPONSE: 'sync.response',
  CONFLICT_DETECTED: 'conflict.detected',
  HEARTBEAT: 'system.heartbeat',
  ERROR: 'system.error',
  RECONNECT: 'system.reconnect',
} as const;

export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Types a client may send. Anything else from a client is refused with UNKNOWN_TYPE. */
export const CLIENT_MESSAGE_TYPES = [
  MessageType.DOCUMENT_OPEN,
  MessageType.DOCUMENT_CLOSE,
  MessageType.DOCUMENT_CHANGE,
  MessageType.DOCUMENT_SAVE,
  MessageType.CURSOR_POSITION,
  MessageType.SELECTION_CHANGE,
  MessageType.USER_PRESENCE,
  MessageType.SYNC_REQUEST,
  MessageType.HEARTBEAT,
] as const;

export type ClientMessageType = (typeof CLIENT_MESSAGE_TYPES)[number];

/** Types the server sends. */
export const SERVER_MESSAGE_TYPES = [
  MessageType.DOCUMENT_OPEN,
  MessageType.DOCUMENT_CHANGE,
  MessageType.DOCUMENT_CHANGES,
  MessageType.DOCUMENT_SAVE,
  MessageType.DOCUMENT_UPDATED,
  MessageType.CURSOR_POSITION,
  MessageType.SELECTION_CHANGE,
  MessageType.USER_PRESENCE,
  MessageType.SYNC_RESPONSE,
  MessageType.CONFLICT_DETECTED,
  MessageType.HEARTBEAT,
  MessageType.ERROR,
  MessageType.RECONNECT,
] as const;

export type ServerMessageType = (typeof SERVER_MESSAGE_TYPES)[number];

const ALL_TYPES: ReadonlySet<string> = new Set(Object.values(MessageType));
const CLIENT_TYPES: ReadonlySet<string> = new Set(CLIENT_MESSAGE_TYPES);
const SERVER_TYPES: ReadonlySet<string> = new Set(SERVER_MESSAGE_TYPES);

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && ALL_TYPES.has(value);
}

export function isClientMessageType(value: unknown): value is ClientMessageType {
  return typeof value === 'string' && CLIENT_TYPES.has(value);
}

export function isServerMessageType(value: unknown): value is ServerMessageType {
  return typeof value === 'string' && SERVER_TYPES.has(value);
}
