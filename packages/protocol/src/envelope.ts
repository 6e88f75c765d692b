/**
 * Frame parsing: one WebSocket text frame holds one envelope `{ type, payload, metadata? }` or a JSON
 * array of envelopes (a batch). parseFrame (client -> server) and parseServerFrame (server -> client)
 * never throw: every input yields a result per envelope, either a validated message or an error payload
 * ready to send as `system.error`. A frame-level problem (not JSON, too large, empty or too long batch)
 * yields a single error result.
 *
 * Decisions where the spec is silent (also in docs/protocol.md):
 * - A missing `payload` is treated as `{}`; a present but non-object payload is INVALID_MESSAGE.
 * - Unknown keys in payload and metadata are stripped; an unknown or wrong-direction `type` is UNKNOWN_TYPE.
 * - document.change: a payload with an `op` key is the full form, one with `operation` the simple form.
 *   Problems in the edit itself (op, operation, position, content, length) are INVALID_OP; other
 *   problems (changeId, baseVersion, missing form) are INVALID_MESSAGE.
 */
import type { z } from 'zod';
import { type ClientMessage, clientPayloadSchemas } from './client-messages.js';
import { type ErrorCode, type ErrorPayload, protocolError } from './errors.js';
import { MAX_BATCH_LENGTH, MAX_FRAME_BYTES } from './limits.js';
import {
  type ClientMessageType,
  isClientMessageType,
  isMessageType,
  isServerMessageType,
  MessageType,
  type ServerMessageType,
} from './message-types.js';
import { clientMetadataSchema, serverMetadataSchema } from './metadata.js';
import { changeIdSchema, idSchema } from './primitives.js';
import { type ServerMessage, serverPayloadSchemas } from './server-messages.js';

export type MessageResult<M> =
  | { ok: true; message: M }
  | {
      ok: false;
      /** A system.error payload describing the problem (with correlationId/changeId when readable). */
      error: ErrorPayload;
      /** The envelope's `type` when it is a known one (safe as a log field or metrics label). */
      type?: MessageType;
    };

export interface ParseResult<M = ClientMessage> {
  /** Whether the frame was a JSON array of envelopes. */
  batch: boolean;
  /** One result per envelope, in frame order; a single error when the frame as a whole is refused. */
  results: MessageResult<M>[];
}

export interface ParseOptions {
  /** Refuse frames larger than this many UTF-8 bytes with MESSAGE_TOO_LARGE. Default MAX_FRAME_BYTES. */
  maxFrameBytes?: number;
  /** Refuse batches longer than this with MESSAGE_TOO_LARGE. Default MAX_BATCH_LENGTH. */
  maxBatchLength?: number;
}

/** Edit-describing fields of document.change: problems there are INVALID_OP, not INVALID_MESSAGE. */
const EDIT_FIELDS: ReadonlySet<PropertyKey> = new Set(['op', 'operation', 'position', 'content', 'length']);

interface Direction {
  readonly name: 'client' | 'server';
  isOwnType(type: string): boolean;
  payloadSchema(type: string, payload: Record<string, unknown>): z.ZodType | string;
  readonly metadataSchema: z.ZodType;
  readonly metadataRequired: boolean;
}

const clientDirection: Direction = {
  name: 'client',
  isOwnType: isClientMessageType,
  payloadSchema(type, payload) {
    if (type === MessageType.DOCUMENT_CHANGE) return changePayloadSchema(payload);
    return clientPayloadSchemas[type as ClientMessageType];
  },
  metadataSchema: clientMetadataSchema,
  metadataRequired: false,
};

const serverDirection: Direction = {
  name: 'server',
  isOwnType: isServerMessageType,
  payloadSchema: (type) => serverPayloadSchemas[type as ServerMessageType],
  metadataSchema: serverMetadataSchema,
  metadataRequired: true,
};

/** Picks the document.change form by its keys so errors talk about the form the sender meant. */
function changePayloadSchema(payload: Record<string, unknown>): z.ZodType | string {
  const schema = clientPayloadSchemas[MessageType.DOCUMENT_CHANGE];
  const [full, simple] = schema.options;
  if (Object.hasOwn(payload, 'op')) return full;
  if (Object.hasOwn(payload, 'operation')) return simple;
  return 'document.change needs either { changeId, baseVersion, op } or { operation, position, content | length }';
}

/** Parses a client -> server frame. Never throws. */
export function parseFrame(text: string, options: ParseOptions = {}): ParseResult<ClientMessage> {
  return parseWith(text, clientDirection, options) as ParseResult<ClientMessage>;
}

/** Parses a server -> client frame (used by clients and tests). Never throws. */
export function parseServerFrame(text: string, options: ParseOptions = {}): ParseResult<ServerMessage> {
  return parseWith(text, serverDirection, options) as ParseResult<ServerMessage>;
}

/** Validates one already-decoded client envelope. Never throws. */
export function parseClientMessage(value: unknown): MessageResult<ClientMessage> {
  return parseEnvelope(value, clientDirection) as MessageResult<ClientMessage>;
}

/** Validates one already-decoded server envelope. Never throws. */
export function parseServerMessage(value: unknown): MessageResult<ServerMessage> {
  return parseEnvelope(value, serverDirection) as MessageResult<ServerMessage>;
}

function parseWith(text: unknown, direction: Direction, options: ParseOptions): ParseResult<unknown> {
  const maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  const maxBatchLength = options.maxBatchLength ?? MAX_BATCH_LENGTH;
  if (typeof text !== 'string') {
    return frameError('INVALID_MESSAGE', 'A frame must be a text (UTF-8 JSON) message');
  }
  if (exceedsUtf8Bytes(text, maxFrameBytes)) {
    return frameError('MESSAGE_TOO_LARGE', `The frame is larger than ${maxFrameBytes} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    return frameError('INVALID_JSON', `The frame is not valid JSON${detail}`);
  }
  if (!Array.isArray(value)) return { batch: false, results: [parseEnvelope(value, direction)] };
  if (value.length === 0)
    return frameError('INVALID_MESSAGE', 'A batch must hold at least one message', true);
  if (value.length > maxBatchLength) {
    return frameError(
      'MESSAGE_TOO_LARGE',
      `A batch may hold at most ${maxBatchLength} messages (got ${value.length}); nothing in it was processed`,
      true,
    );
  }
  return { batch: true, results: value.map((item) => parseEnvelope(item, direction)) };
}

function frameError(code: ErrorCode, message: string, batch = false): ParseResult<never> {
  return { batch, results: [{ ok: false, error: protocolError(code, message) }] };
}

function parseEnvelope(value: unknown, direction: Direction): MessageResult<unknown> {
  try {
    return parseEnvelopeUnsafe(value, direction);
  } catch (error) {
    // Only a bug in a schema or in checkOp can get here; report it instead of crashing the connection.
    const detail = error instanceof Error ? `: ${error.message}` : '';
    return { ok: false, error: protocolError('INTERNAL_ERROR', `Could not validate the message${detail}`) };
  }
}

function parseEnvelopeUnsafe(value: unknown, direction: Direction): MessageResult<unknown> {
  if (!isPlainObject(value)) {
    return { ok: false, error: protocolError('INVALID_MESSAGE', 'A message must be a JSON object') };
  }
  const { type, payload: rawPayload, metadata: rawMetadata } = value;
  const correlationId = readCorrelationId(rawMetadata);
  const changeId = isPlainObject(rawPayload) ? readChangeId(rawPayload.changeId) : undefined;
  const fail = (code: ErrorCode, message: string): MessageResult<unknown> => ({
    ok: false,
    error: protocolError(code, message, { correlationId, changeId }),
    ...(isMessageType(type) ? { type } : {}),
  });

  if (typeof type !== 'string') return fail('INVALID_MESSAGE', 'A message needs a string "type"');
  if (!direction.isOwnType(type)) {
    const known = isMessageType(type)
      ? ` is not a message a ${direction.name} may send`
      : ' is not a known type';
    return fail('UNKNOWN_TYPE', `${JSON.stringify(type)}${known}`);
  }

  const payload = rawPayload === undefined ? {} : rawPayload;
  if (!isPlainObject(payload)) return fail('INVALID_MESSAGE', `The payload of ${type} must be a JSON object`);

  let metadata: unknown;
  if (rawMetadata !== undefined || direction.metadataRequired) {
    const parsed = direction.metadataSchema.safeParse(rawMetadata);
    if (!parsed.success) {
      return fail('INVALID_MESSAGE', `Invalid metadata of ${type}: ${describeIssues(parsed.error.issues)}`);
    }
    metadata = parsed.data;
  }

  const schema = direction.payloadSchema(type, payload);
  if (typeof schema === 'string') return fail('INVALID_MESSAGE', schema);
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const editOnly =
      type === MessageType.DOCUMENT_CHANGE &&
      direction.name === 'client' &&
      parsed.error.issues.every(
        (issue) => issue.path.length > 0 && EDIT_FIELDS.has(issue.path[0] as PropertyKey),
      );
    const code: ErrorCode = editOnly ? 'INVALID_OP' : 'INVALID_MESSAGE';
    return fail(code, `Invalid ${type} payload: ${describeIssues(parsed.error.issues)}`);
  }

  const message =
    metadata === undefined ? { type, payload: parsed.data } : { type, payload: parsed.data, metadata };
  return { ok: true, message };
}

/** "baseVersion: Too small: expected number to be >=0; op: ..." — at most three issues. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `${shown.join('; ')}${more}`;
}

function readCorrelationId(metadata: unknown): string | undefined {
  if (!isPlainObject(metadata)) return undefined;
  const parsed = idSchema.safeParse(metadata.correlationId);
  return parsed.success ? parsed.data : undefined;
}

function readChangeId(value: unknown): string | undefined {
  const parsed = changeIdSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether text takes more than `max` bytes in UTF-8, without allocating an encoded copy. */
export function exceedsUtf8Bytes(text: string, max: number): boolean {
  if (text.length > max) return true; // every UTF-16 unit takes at least one byte
  if (text.length * 3 <= max) return false; // and at most three
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4; // a surrogate pair is one 4-byte code point
        i++;
      } else bytes += 3;
    } else bytes += 3;
    if (bytes > max) return true;
  }
  return false;
}
