/**
 * What every backend shares about a document's lifecycle: the incarnation a new document gets,
 * and the validation of a move to the trash.
 */
import { randomBytes } from 'node:crypto';
import type { TrashRequest } from './types.js';
import { assertText, assertTimestamp } from './validate.js';

/**
 * A fresh incarnation: 96 random bits in hex. Random rather than derived from the id and the
 * creation time, so an id purged and created again in the same millisecond is still a new one.
 */
export function newIncarnation(): string {
  return randomBytes(12).toString('hex');
}

export function checkTrashRequest(request: TrashRequest): void {
  assertText(request.deletedBy, 'deletedBy');
  assertText(request.deletedByName, 'deletedByName');
  if (request.deletedAt !== undefined) assertTimestamp(request.deletedAt, 'deletedAt');
}
