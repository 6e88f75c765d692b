/**
 * Serialising server messages. A message is turned into JSON once and the same string is handed
 * to every recipient (broadcasts never re-serialise per session).
 */
import {
  type CommittedChange,
  committedChange,
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

/**
 * A `document.changes` message is built from entries that are already JSON (each committed change
 * is serialised once, then reused in every batch it appears in): this head, the entries joined by
 * commas, then the tail. What a `document.changes` message holds before its first entry.
 */
export const CHANGES_BATCH_HEAD = '{"type":"document.changes","payload":{"changes":[';

/** What a `document.changes` message holds after its last entry (`version`: the last entry's). */
export function changesBatchTail(version: number): string {
  return `]},"metadata":${JSON.stringify(serverMetadata({ version }))}}`;
}

/** The `document.changes` entry of a committed change. */
export function changeEntry(change: CommittedChange): string {
  return JSON.stringify(committedChange(change));
}
