/**
 * Everything a client sends (C -> S). Payload objects are stripped of unknown keys (a newer client may
 * send fields an older server does not know); every known field is validated and bounded.
 */
import { z } from 'zod';
import { MessageType } from './message-types.js';
import { clientMetadataSchema } from './metadata.js';
import { opSchema } from './op-schema.js';
import {
  changeIdSchema,
  insertTextSchema,
  nameSchema,
  positionSchema,
  positiveIntSchema,
  presenceStatusSchema,
  versionSchema,
} from './primitives.js';

/** C `document.open {}`: ask the server to send `document.open` (the full state) again. */
export const clientDocumentOpenPayloadSchema = z.object({});
export type ClientDocumentOpenPayload = z.infer<typeof clientDocumentOpenPayloadSchema>;

/** C `document.close {}`: leave the document; the server tells the others and closes with 1000. */
export const clientDocumentClosePayloadSchema = z.object({});
export type ClientDocumentClosePayload = z.infer<typeof clientDocumentClosePayloadSchema>;

/**
 * C `document.change`, full form: `op` applies to the document at `baseVersion`. The server transforms
 * it over the changes committed since, commits it as version v (it then applies to v - 1), and acks.
 */
export const fullChangePayloadSchema = z.object({
  changeId: changeIdSchema,
  baseVersion: versionSchema,
  op: opSchema,
});
export type FullChangePayload = z.infer<typeof fullChangePayloadSchema>;

/** Simple form fields shared by insert and delete (changeId and baseVersion are optional there). */
const simpleChangeBase = {
  /** Absent: the server generates one (the client then cannot retry safely). */
  changeId: changeIdSchema.optional(),
  /** Absent: the last version the server sent to this session. */
  baseVersion: versionSchema.optional(),
  /** Code point offset in the document at baseVersion. */
  position: positionSchema,
};

export const simpleInsertPayloadSchema = z.object({
  operation: z.literal('insert'),
  ...simpleChangeBase,
  content: insertTextSchema,
});
export type SimpleInsertPayload = z.infer<typeof simpleInsertPayloadSchema>;

export const simpleDeletePayloadSchema = z.object({
  operation: z.literal('delete'),
  ...simpleChangeBase,
  /** Number of code points to delete, at least 1. */
  length: positiveIntSchema,
});
export type SimpleDeletePayload = z.infer<typeof simpleDeletePayloadSchema>;

/** C `document.change`, simple form (the design's): one insert or one delete. */
export const simpleChangePayloadSchema = z.discriminatedUnion('operation', [
  simpleInsertPayloadSchema,
  simpleDeletePayloadSchema,
]);
export type SimpleChangePayload = z.infer<typeof simpleChangePayloadSchema>;

/** A payload with an `op` key is the full form; otherwise the simple form. */
export const clientChangePayloadSchema = z.union([fullChangePayloadSchema, simpleChangePayloadSchema]);
export type ClientChangePayload = z.infer<typeof clientChangePayloadSchema>;

export function isFullChange(payload: ClientChangePayload): payload is FullChangePayload {
  return 'op' in payload;
}

/** C `document.save`: store the current content as a named version. */
export const clientSavePayloadSchema = z.object({ name: nameSchema });
export type ClientSavePayload = z.infer<typeof clientSavePayloadSchema>;

/**
 * C `cursor.position`: the caret in code points. With `version`, the position is in the document at
 * that version without the sender's unacknowledged edits, and the server maps it through every
 * change committed since; without it, it is taken as a position in the current document.
 */
export const clientCursorPayloadSchema = z.object({
  position: positionSchema,
  version: versionSchema.optional(),
});
export type ClientCursorPayload = z.infer<typeof clientCursorPayloadSchema>;

/** C `selection.change`: anchor is where the selection started, head where the caret is. */
/** C `selection.change`: like `cursor.position`, for a range (`version` has the same meaning). */
export const clientSelectionPayloadSchema = z.object({
  anchor: positionSchema,
  head: positionSchema,
  version: versionSchema.optional(),
});
export type ClientSelectionPayload = z.infer<typeof clientSelectionPayloadSchema>;

/** C `user.presence`: the client reports whether its user is active or idle. */
export const clientPresencePayloadSchema = z.object({ status: presenceStatusSchema });
export type ClientPresencePayload = z.infer<typeof clientPresencePayloadSchema>;

/** C `sync.request`: ask for the changes after `sinceVersion`, or for the full content when absent. */
export const syncRequestPayloadSchema = z.object({ sinceVersion: versionSchema.optional() });
export type SyncRequestPayload = z.infer<typeof syncRequestPayloadSchema>;

/** C `system.heartbeat`: `t` is any number the client wants echoed (e.g. its clock, for RTT). */
export const clientHeartbeatPayloadSchema = z.object({ t: z.number().finite().optional() });
export type ClientHeartbeatPayload = z.infer<typeof clientHeartbeatPayloadSchema>;

/** Payload schema per client message type. */
export const clientPayloadSchemas = {
  [MessageType.DOCUMENT_OPEN]: clientDocumentOpenPayloadSchema,
  [MessageType.DOCUMENT_CLOSE]: clientDocumentClosePayloadSchema,
  [MessageType.DOCUMENT_CHANGE]: clientChangePayloadSchema,
  [MessageType.DOCUMENT_SAVE]: clientSavePayloadSchema,
  [MessageType.CURSOR_POSITION]: clientCursorPayloadSchema,
  [MessageType.SELECTION_CHANGE]: clientSelectionPayloadSchema,
  [MessageType.USER_PRESENCE]: clientPresencePayloadSchema,
  [MessageType.SYNC_REQUEST]: syncRequestPayloadSchema,
  [MessageType.HEARTBEAT]: clientHeartbeatPayloadSchema,
} as const;

export type ClientPayloads = {
  [T in keyof typeof clientPayloadSchemas]: z.infer<(typeof clientPayloadSchemas)[T]>;
};

function clientEnvelope<const T extends keyof typeof clientPayloadSchemas>(type: T) {
  return z.object({
    type: z.literal(type),
    payload: clientPayloadSchemas[type],
    metadata: clientMetadataSchema.optional(),
  });
}

/** Any client message (discriminated on `type`). parseFrame() is the lenient, never-throwing front door. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  clientEnvelope(MessageType.DOCUMENT_OPEN),
  clientEnvelope(MessageType.DOCUMENT_CLOSE),
  clientEnvelope(MessageType.DOCUMENT_CHANGE),
  clientEnvelope(MessageType.DOCUMENT_SAVE),
  clientEnvelope(MessageType.CURSOR_POSITION),
  clientEnvelope(MessageType.SELECTION_CHANGE),
  clientEnvelope(MessageType.USER_PRESENCE),
  clientEnvelope(MessageType.SYNC_REQUEST),
  clientEnvelope(MessageType.HEARTBEAT),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** The client message of one type, e.g. ClientMessageOf<'document.change'>. */
export type ClientMessageOf<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;
