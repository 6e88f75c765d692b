/**
 * The payload of a 'change' BrokerMessage: changes a node committed, as the store holds them.
 * Another node checks it before use, since what comes off a broker is only as trustworthy as
 * every program that can publish there; a malformed one is dropped and the store fills the gap.
 */
import type { StoredChange } from '../storage/types.js';
import { PubSubError } from './types.js';

export interface ChangePayload {
  /** Consecutive committed changes of the message's document, in version order. */
  changes: StoredChange[];
}

export function changePayload(changes: readonly StoredChange[]): ChangePayload {
  return { changes: [...changes] };
}

function isChange(value: unknown, documentId: string): value is StoredChange {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    c.documentId === documentId &&
    typeof c.version === 'number' &&
    Number.isSafeInteger(c.version) &&
    c.version > 0 &&
    typeof c.changeId === 'string' &&
    typeof c.userId === 'string' &&
    typeof c.userName === 'string' &&
    Array.isArray(c.op) &&
    typeof c.createdAt === 'number'
  );
}

/**
 * The changes of a received 'change' payload for `documentId`. Throws PubSubError
 * INVALID_MESSAGE when it is not one. Checks the envelope only: each op is checked again where
 * it is applied (the OT engine's checkOp).
 */
export function parseChangePayload(payload: unknown, documentId: string): StoredChange[] {
  const changes = (payload as { changes?: unknown } | null)?.changes;
  if (!Array.isArray(changes) || changes.length === 0) {
    throw new PubSubError('INVALID_MESSAGE', 'a change message needs a non-empty changes array');
  }
  changes.forEach((change, index) => {
    if (!isChange(change, documentId)) {
      throw new PubSubError('INVALID_MESSAGE', `changes[${index}] is not a stored change of ${documentId}`);
    }
  });
  return changes as StoredChange[];
}
