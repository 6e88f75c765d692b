/**
 * Everything the server sends (S -> C). The client validates incoming frames with these schemas
 * (parseServerFrame), so a server bug shows up as a clear error instead of a corrupted editor.
 */
import { z } from 'zod';
import { documentIdSchema, incarnationSchema } from './endpoint.js';
import { ERROR_CODES } from './errors.js';
import { MAX_NAME_LENGTH } from './limits.js';
import { MessageType } from './message-types.js';
import { serverMetadataSchema } from './metadata.js';
import { opSchema } from './op-schema.js';
import { postingSchema } from './posting.js';
import {
  changeIdSchema,
  colorSchema,
  idSchema,
  insertTextSchema,
  millisSchema,
  nameSchema,
  positionSchema,
  positiveIntSchema,
  presenceStatusSchema,
  textSchema,
  versionSchema,
} from './primitives.js';

/** Who a session is: sent as `self` in document.open and inside presence messages. */
export const sessionUserSchema = z.object({
  sessionId: idSchema,
  userId: idSchema,
  /** Display name. */
  name: nameSchema,
  /** userColor(userId). */
  color: colorSchema,
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const presenceCursorSchema = z.object({ position: positionSchema });
export type PresenceCursor = z.infer<typeof presenceCursorSchema>;

export const presenceSelectionSchema = z.object({ anchor: positionSchema, head: positionSchema });
export type PresenceSelection = z.infer<typeof presenceSelectionSchema>;

/** One connected session as others see it. Positions are code points in the current document. */
export const presenceUserSchema = sessionUserSchema.extend({
  status: presenceStatusSchema,
  /** Last edit, cursor, selection or presence message of this session, ms since the epoch. */
  lastActivity: millisSchema,
  cursor: presenceCursorSchema.nullable(),
  selection: presenceSelectionSchema.nullable(),
});
export type PresenceUser = z.infer<typeof presenceUserSchema>;

/** S `document.open`: the full state, sent on connect and in answer to C `document.open`. */
export const documentOpenPayloadSchema = z.object({
  documentId: documentIdSchema,
  /** May be empty. */
  title: z.string().max(MAX_NAME_LENGTH),
  content: z.string(),
  version: versionSchema,
  /** False for read-only users: their document.change and document.save are refused with FORBIDDEN. */
  canWrite: z.boolean(),
  self: sessionUserSchema,
  /** Every session on the document, including this one. */
  users: z.array(presenceUserSchema),
  /**
   * Which creation of this id the session is on. A client reconnects with it
   * (`?incarnation=`), so its pending edits are never applied to an id that was deleted and
   * created again. Optional: servers before it did not send it.
   */
  incarnation: incarnationSchema.optional(),
});
export type DocumentOpenPayload = z.infer<typeof documentOpenPayloadSchema>;

/** S `document.change` to the sender only, after the change is committed to storage. */
export const changeAckPayloadSchema = z.object({
  ack: z.literal(true),
  changeId: changeIdSchema,
  /** The version the change was committed as. */
  version: versionSchema,
});
export type ChangeAckPayload = z.infer<typeof changeAckPayloadSchema>;

const broadcastBase = z.object({
  changeId: changeIdSchema,
  /** The version this change was committed as; it applies to the document at version - 1. */
  version: versionSchema,
  /** The committed op (already transformed by the server). */
  op: opSchema,
  userId: idSchema,
  userName: nameSchema,
});

/** Simple-form mirror of the op, present only when the op is one insert or one delete. */
export const broadcastInsertSchema = broadcastBase.extend({
  operation: z.literal('insert'),
  position: positionSchema,
  content: insertTextSchema,
});
export const broadcastDeleteSchema = broadcastBase.extend({
  operation: z.literal('delete'),
  position: positionSchema,
  length: positiveIntSchema,
});

/** S `document.change` to every session except the sender. */
export const changeBroadcastPayloadSchema = z.union([
  broadcastInsertSchema,
  broadcastDeleteSchema,
  broadcastBase,
]);
export type ChangeBroadcastPayload = z.infer<typeof changeBroadcastPayloadSchema>;

/** One committed change inside `document.changes` (the broadcast without the simple-form mirror). */
export const committedChangeSchema = broadcastBase;
export type CommittedChangeEntry = z.infer<typeof committedChangeSchema>;

/**
 * S `document.changes`: several consecutive committed changes in version order, as one message.
 * A busy room sends its broadcasts in batches; one envelope per batch instead of one per change
 * keeps every recipient's bytes (and the server's fan-out) about three times smaller. Each entry
 * means exactly what a `document.change` broadcast of it would.
 */
export const documentChangesPayloadSchema = z.object({
  changes: z.array(committedChangeSchema).min(1),
});
export type DocumentChangesPayload = z.infer<typeof documentChangesPayloadSchema>;

export const serverChangePayloadSchema = z.union([changeAckPayloadSchema, changeBroadcastPayloadSchema]);
export type ServerChangePayload = z.infer<typeof serverChangePayloadSchema>;

export function isChangeAck(payload: ServerChangePayload): payload is ChangeAckPayload {
  return 'ack' in payload && payload.ack === true;
}

/** S `conflict.detected`: the change cannot be rebased (e.g. baseVersion ahead of the server); resync. */
export const conflictPayloadSchema = z.object({
  changeId: changeIdSchema.optional(),
  baseVersion: versionSchema,
  currentVersion: versionSchema,
  reason: textSchema,
});
export type ConflictPayload = z.infer<typeof conflictPayloadSchema>;

/** One committed change in a sync.response; `op` applies to the document at version - 1. */
export const syncChangeSchema = z.object({
  version: versionSchema,
  changeId: changeIdSchema,
  op: opSchema,
  userId: idSchema,
});
export type SyncChange = z.infer<typeof syncChangeSchema>;

/** Full sync: the whole content at `version`. */
export const syncFullPayloadSchema = z.object({ version: versionSchema, content: z.string() });
export type SyncFullPayload = z.infer<typeof syncFullPayloadSchema>;

/**
 * Delta sync: the changes sinceVersion+1 .. version, in order (empty when nothing is new). A long
 * history comes in pages: `more` says the document has changes after `version`; ask again with
 * `sinceVersion: version`.
 */
export const syncDeltaPayloadSchema = z.object({
  version: versionSchema,
  sinceVersion: versionSchema,
  changes: z.array(syncChangeSchema),
  more: z.boolean().optional(),
});
export type SyncDeltaPayload = z.infer<typeof syncDeltaPayloadSchema>;

export const syncResponsePayloadSchema = z.union([syncDeltaPayloadSchema, syncFullPayloadSchema]);
export type SyncResponsePayload = z.infer<typeof syncResponsePayloadSchema>;

export function isSyncDelta(payload: SyncResponsePayload): payload is SyncDeltaPayload {
  return 'changes' in payload;
}

/** S `document.save` to everyone: a named version was stored. */
export const documentSavedPayloadSchema = z.object({
  /** Id of the saved version (opaque string). */
  id: idSchema,
  name: nameSchema,
  /** Document version that was saved. */
  version: versionSchema,
  createdBy: idSchema,
  createdByName: nameSchema,
  /** ms since the epoch. */
  createdAt: millisSchema,
});
export type DocumentSavedPayload = z.infer<typeof documentSavedPayloadSchema>;

/** A document's workflow status (the REST API's PATCH /api/documents/:id sets it). */
export const documentStatusSchema = z.enum(['draft', 'review', 'published']);
export type DocumentStatus = z.infer<typeof documentStatusSchema>;

/**
 * S `document.updated` to everyone in the document: its title, department, status or posting fields changed
 * (over the REST API, possibly on another node). The content is untouched.
 */
export const documentUpdatedPayloadSchema = z.object({
  documentId: documentIdSchema,
  title: z.string().max(MAX_NAME_LENGTH),
  department: z.string().max(MAX_NAME_LENGTH),
  status: documentStatusSchema,
  /** The structured posting fields, all of them as they now are (absent from older servers). */
  posting: postingSchema.optional(),
  updatedBy: idSchema,
  updatedByName: nameSchema,
  /** ms since the epoch. */
  updatedAt: millisSchema,
});
export type DocumentUpdatedPayload = z.infer<typeof documentUpdatedPayloadSchema>;

/** S `cursor.position` to the other sessions. */
export const cursorBroadcastPayloadSchema = sessionUserSchema.extend({ position: positionSchema });
export type CursorBroadcastPayload = z.infer<typeof cursorBroadcastPayloadSchema>;

/** S `selection.change` to the other sessions. */
export const selectionBroadcastPayloadSchema = sessionUserSchema.extend({
  anchor: positionSchema,
  head: positionSchema,
});
export type SelectionBroadcastPayload = z.infer<typeof selectionBroadcastPayloadSchema>;

export const presenceEventSchema = z.enum(['joined', 'left', 'active', 'idle']);
export type PresenceEvent = z.infer<typeof presenceEventSchema>;

/** S `user.presence` to the other sessions. */
export const presenceEventPayloadSchema = z.object({ event: presenceEventSchema, user: presenceUserSchema });
export type PresenceEventPayload = z.infer<typeof presenceEventPayloadSchema>;

/** S `system.heartbeat`: `t` echoed from the client's heartbeat, `serverTime` in ms since the epoch. */
export const heartbeatReplyPayloadSchema = z.object({
  t: z.number().finite().optional(),
  serverTime: millisSchema,
});
export type HeartbeatReplyPayload = z.infer<typeof heartbeatReplyPayloadSchema>;

/** S `system.error` (see ErrorCodes). */
export const errorPayloadSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: textSchema,
  correlationId: idSchema.optional(),
  retryAfter: millisSchema.optional(),
  changeId: changeIdSchema.optional(),
  /** DOCUMENT_DELETED: who moved the document to the trash (when the server knows). */
  deletedBy: z.object({ userId: idSchema, name: nameSchema }).optional(),
  deletedAt: millisSchema.optional(),
});

/** S `system.reconnect`: the server is going away; reconnect after retryAfter ms (plus jitter). */
export const reconnectPayloadSchema = z.object({
  reason: textSchema,
  retryAfter: millisSchema.optional(),
});
export type ReconnectPayload = z.infer<typeof reconnectPayloadSchema>;

/** Payload schema per server message type. */
export const serverPayloadSchemas = {
  [MessageType.DOCUMENT_OPEN]: documentOpenPayloadSchema,
  [MessageType.DOCUMENT_CHANGE]: serverChangePayloadSchema,
  [MessageType.DOCUMENT_CHANGES]: documentChangesPayloadSchema,
  [MessageType.DOCUMENT_SAVE]: documentSavedPayloadSchema,
  [MessageType.DOCUMENT_UPDATED]: documentUpdatedPayloadSchema,
  [MessageType.CURSOR_POSITION]: cursorBroadcastPayloadSchema,
  [MessageType.SELECTION_CHANGE]: selectionBroadcastPayloadSchema,
  [MessageType.USER_PRESENCE]: presenceEventPayloadSchema,
  [MessageType.SYNC_RESPONSE]: syncResponsePayloadSchema,
  [MessageType.CONFLICT_DETECTED]: conflictPayloadSchema,
  [MessageType.HEARTBEAT]: heartbeatReplyPayloadSchema,
  [MessageType.ERROR]: errorPayloadSchema,
  [MessageType.RECONNECT]: reconnectPayloadSchema,
} as const;

export type ServerPayloads = {
  [T in keyof typeof serverPayloadSchemas]: z.infer<(typeof serverPayloadSchemas)[T]>;
};

function serverEnvelope<const T extends keyof typeof serverPayloadSchemas>(type: T) {
  return z.object({
    type: z.literal(type),
    payload: serverPayloadSchemas[type],
    metadata: serverMetadataSchema,
  });
}

/** Any server message (discriminated on `type`). */
export const serverMessageSchema = z.discriminatedUnion('type', [
  serverEnvelope(MessageType.DOCUMENT_OPEN),
  serverEnvelope(MessageType.DOCUMENT_CHANGE),
  serverEnvelope(MessageType.DOCUMENT_CHANGES),
  serverEnvelope(MessageType.DOCUMENT_SAVE),
  serverEnvelope(MessageType.DOCUMENT_UPDATED),
  serverEnvelope(MessageType.CURSOR_POSITION),
  serverEnvelope(MessageType.SELECTION_CHANGE),
  serverEnvelope(MessageType.USER_PRESENCE),
  serverEnvelope(MessageType.SYNC_RESPONSE),
  serverEnvelope(MessageType.CONFLICT_DETECTED),
  serverEnvelope(MessageType.HEARTBEAT),
  serverEnvelope(MessageType.ERROR),
  serverEnvelope(MessageType.RECONNECT),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** The server message of one type, e.g. ServerMessageOf<'system.error'>. */
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
