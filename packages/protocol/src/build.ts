/**
 * Typed constructors for envelopes and frames, used by the server, the client and tests so that
 * messages are built one way everywhere.
 */
import type { ClientMessageOf, ClientPayloads } from './client-messages.js';
import { type ErrorCode, type ProtocolErrorExtra, protocolError } from './errors.js';
import { type ClientMessageType, MessageType, type ServerMessageType } from './message-types.js';
import { type ClientMetadata, type ServerMetadata, SYSTEM_USER_ID } from './metadata.js';
import type { ServerMessage, ServerMessageOf, ServerPayloads } from './server-messages.js';

export interface ServerMetadataInput {
  /** Document version after this message. */
  version: number;
  /** Author; default 'system'. */
  userId?: string | undefined;
  /** Author's session; default 'system'. */
  sessionId?: string | undefined;
  correlationId?: string | undefined;
  /** Default Date.now(). */
  timestamp?: number | undefined;
}

/** Server metadata with defaults: authored by 'system', stamped now, correlationId left out when absent. */
export function serverMetadata(input: ServerMetadataInput): ServerMetadata {
  const metadata: ServerMetadata = {
    timestamp: input.timestamp ?? Date.now(),
    version: input.version,
    userId: input.userId ?? SYSTEM_USER_ID,
    sessionId: input.sessionId ?? SYSTEM_USER_ID,
  };
  if (input.correlationId !== undefined) metadata.correlationId = input.correlationId;
  return metadata;
}

/** A server envelope whose payload type follows from `type`. */
export function serverMessage<T extends ServerMessageType>(
  type: T,
  payload: ServerPayloads[T],
  metadata: ServerMetadata,
): ServerMessageOf<T> {
  return { type, payload, metadata } as unknown as ServerMessageOf<T>;
}

/** A client envelope whose payload type follows from `type`. */
export function clientMessage<T extends ClientMessageType>(
  type: T,
  payload: ClientPayloads[T],
  metadata?: ClientMetadata,
): ClientMessageOf<T> {
  const message = metadata === undefined ? { type, payload } : { type, payload, metadata };
  return message as unknown as ClientMessageOf<T>;
}

/** A `system.error` message; `extra.correlationId` is echoed in both payload and metadata. */
export function errorMessage(
  code: ErrorCode,
  options: ProtocolErrorExtra & { message?: string; version: number; timestamp?: number },
): ServerMessageOf<'system.error'> {
  const payload = protocolError(code, options.message, options);
  return serverMessage(
    MessageType.ERROR,
    payload,
    serverMetadata({
      version: options.version,
      correlationId: options.correlationId,
      timestamp: options.timestamp,
    }),
  );
}

/** One WebSocket text frame: a single envelope, or a JSON array of envelopes (a batch). */
export function encodeFrame(messages: ServerMessage | ServerMessage[]): string;
export function encodeFrame(
  messages: ClientMessageOf<ClientMessageType> | ClientMessageOf<ClientMessageType>[],
): string;
export function encodeFrame(messages: unknown): string {
  return JSON.stringify(messages);
}
