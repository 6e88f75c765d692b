/**
 * What every document route checks first, written once: the `:id` is a valid document id the
 * principal may read or write (permission before existence, so a user without access learns
 * nothing about which ids exist), and the optional `?version=N` query.
 */
import { isValidDocumentId } from '@jd-collab/protocol';
import { z } from 'zod';
import { canRead, canWrite } from '../auth/permissions.js';
import type { Principal } from '../auth/tokens.js';
import { HttpError } from './errors.js';

/** The validated `:id` of `params` that `p` may access, or the refusal. */
export function accessibleDocumentId(params: unknown, p: Principal, access: 'read' | 'write'): string {
  const id = (params as { id?: unknown }).id;
  if (!isValidDocumentId(id)) throw HttpError.of('INVALID_DOCUMENT_ID');
  const allowed = access === 'write' ? canWrite(p, id) : canRead(p, id);
  if (!allowed) throw HttpError.of('FORBIDDEN', `You may not ${access} document ${id}.`);
  return id;
}

/** `?version=N`: a past version of the document (absent: the latest). */
export const versionQuery = z.object({
  version: z
    .string()
    .regex(/^\d+$/, 'version must be a non-negative integer')
    .transform(Number)
    .refine(Number.isSafeInteger, 'version is too large')
    .optional(),
});
