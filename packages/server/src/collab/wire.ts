/**
 * Serialising server messages. A message is turned into JSON once and the same string is handed
 * to every recipient (broadcasts never re-serialise per session).
 */
import {
  type ServerMessageType,
  type ServerMetadataInput,
  type ServerPayloads,
  serverMessage,
  serverMetadata,
} from '@jd-collab/protocol';

/** One serialised envelope, with its type kept for metrics. */
export interface OutgoingMessage {
  readonly type: ServerMessageType;
  readonly json: string;
  /** The document version the recipient knows after receiving it (acks, broadcasts, full state). */
  readonly version?: number;
}

export function encode<T extends ServerMessageType>(
  type: T,
  payload: ServerPayloads[T],
  meta: ServerMetadataInput,
  carriesVersion = false,
): OutgoingMessage {
  const json = JSON.stringify(serverMessage(type, payload, serverMetadata(meta)));
  return carriesVersion ? { type, json, version: meta.version } : { type, json };
}
