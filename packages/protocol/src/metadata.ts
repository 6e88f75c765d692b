/**
 * Envelope metadata. Clients may send any subset (the server ignores userId/sessionId from clients and
 * only echoes correlationId); server messages always carry timestamp, version, userId and sessionId.
 */
import { z } from 'zod';
import { idSchema, millisSchema, versionSchema } from './primitives.js';

/** userId and sessionId of messages the server itself authors (errors, heartbeats, sync, ...). */
export const SYSTEM_USER_ID = 'system';

export const clientMetadataSchema = z.object({
  timestamp: z.number().finite().nonnegative().optional(),
  version: versionSchema.optional(),
  userId: idSchema.optional(),
  sessionId: idSchema.optional(),
  correlationId: idSchema.optional(),
});
export type ClientMetadata = z.infer<typeof clientMetadataSchema>;

export const serverMetadataSchema = z.object({
  /** Server time when the message was produced, ms since the epoch. */
  timestamp: millisSchema,
  /** Document version after this message (for messages that change nothing: the current version). */
  version: versionSchema,
  /** Author of the message (the editing user for changes and presence), or 'system'. */
  userId: idSchema,
  /** The author's session, or 'system'. */
  sessionId: idSchema,
  /** Echo of the correlationId of the client message this answers, if it had one. */
  correlationId: idSchema.optional(),
});
export type ServerMetadata = z.infer<typeof serverMetadataSchema>;
