/**
 * A deleted document, as its sessions are told: system.error DOCUMENT_DELETED naming who deleted
 * it (when known), then close 1008 (do not reconnect). One definition for the three ways a
 * session learns it: the room closing on a delete (here or on another node, collab/index.ts), and
 * an upgrade for a trashed document or for an incarnation that no longer exists (upgrade.ts).
 */
import { type ErrorPayload, protocolError } from '@jd-collab/protocol';

/** Who moved the document to the trash, and when; null when unknown (it was purged since). */
export interface Deletion {
  userId: string;
  name: string;
  at: number;
}

export function deletedError(deletion: Deletion | null): ErrorPayload {
  if (deletion === null) {
    return protocolError('DOCUMENT_DELETED', 'This document was deleted; it no longer exists');
  }
  return protocolError('DOCUMENT_DELETED', `This document was deleted by ${deletion.name}`, {
    deletedBy: { userId: deletion.userId, name: deletion.name },
    deletedAt: deletion.at,
  });
}

/** A 'deleted' meta message's deletion as received from another node (any JSON), or null. */
export function parseDeletion(value: unknown): Deletion | null {
  const d = value as { userId?: unknown; name?: unknown; at?: unknown } | null | undefined;
  if (typeof d?.userId !== 'string' || typeof d.name !== 'string' || d.name === '') return null;
  if (typeof d.at !== 'number' || !Number.isSafeInteger(d.at) || d.at < 0) return null;
  return { userId: d.userId, name: d.name, at: d.at };
}
