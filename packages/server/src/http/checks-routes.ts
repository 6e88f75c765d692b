/**
 * Writing checks over REST (issue 21, part 5), with the same engine the editor runs
 * (@jd-collab/checks), so what the API, the publish gate and the browser say never differ.
 *
 * GET /api/documents/:id/checks[?version=N]   { documentId, version, score, genderTone, readability, findings }
 *
 * Posting fields (part 2) are not stored yet: the engine gets none, so the pay rules that need a
 * location stay silent, and those that read the text still apply.
 */
import { type CheckReport, checkJobDescription } from '@jd-collab/checks';
import { isValidDocumentId } from '@jd-collab/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { canRead } from '../auth/permissions.js';
import type { TokenService } from '../auth/tokens.js';
import { loadContent } from '../documents/load-content.js';
import type { DocumentStore } from '../storage/types.js';
import { authenticate, principalOf } from './authenticate.js';
import { HttpError } from './errors.js';

export interface DocumentChecks extends CheckReport {
  documentId: string;
  version: number;
}

const checksQuery = z.object({
  version: z
    .string()
    .regex(/^\d+$/, 'version must be a non-negative integer')
    .transform(Number)
    .refine(Number.isSafeInteger, 'version is too large')
    .optional(),
});

/** The checks of a document's text at `version` (default: the latest). */
export async function checkDocument(
  store: DocumentStore,
  id: string,
  version?: number,
): Promise<DocumentChecks> {
  const loaded = await loadContent(store, id, version);
  return { documentId: id, version: loaded.version, ...checkJobDescription(loaded.content, null) };
}

export const checksRoutes: FastifyPluginAsync<{ store: DocumentStore; tokens: TokenService }> = async (
  app,
  { store, tokens },
) => {
  app.addHook('preHandler', authenticate(tokens));
  app.get('/api/documents/:id/checks', async (request): Promise<DocumentChecks> => {
    const p = principalOf(request);
    const id = (request.params as { id?: unknown }).id;
    if (!isValidDocumentId(id)) throw HttpError.of('INVALID_DOCUMENT_ID');
    if (!canRead(p, id)) throw HttpError.of('FORBIDDEN', `You may not read document ${id}.`);
    const { version } = checksQuery.parse(request.query);
    return checkDocument(store, id, version);
  });
};
