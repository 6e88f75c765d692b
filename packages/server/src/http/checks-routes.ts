/**
 * Writing checks over REST (issue 21, part 5), with the same engine the editor runs
 * (@jd-collab/checks), so what the API, the publish gate and the browser say never differ.
 *
 * GET /api/documents/:id/checks[?version=N]   { documentId, version, score, genderTone, readability, findings }
 *
 * The engine gets the document's posting fields (location, pay, ...: PATCH /api/documents/:id), so
 * the pay-transparency rules of the places it is posted for apply.
 */
import { type CheckReport, checkJobDescription } from '@jd-collab/checks';
import type { FastifyPluginAsync } from 'fastify';
import type { TokenService } from '../auth/tokens.js';
import { loadContent } from '../documents/load-content.js';
import type { DocumentMeta, DocumentStore } from '../storage/types.js';
import { authenticate, principalOf } from './authenticate.js';
import { accessibleDocumentId, versionQuery } from './document-access.js';
import { HttpError } from './errors.js';

export interface DocumentChecks extends CheckReport {
  documentId: string;
  version: number;
}

/** The checks of a document's text at `version` (default: the latest), with its posting fields. */
export async function checkDocument(
  store: DocumentStore,
  meta: DocumentMeta,
  version?: number,
): Promise<DocumentChecks> {
  const loaded = await loadContent(store, meta.id, version);
  const posting = Object.keys(meta.posting).length > 0 ? meta.posting : null;
  return { documentId: meta.id, version: loaded.version, ...checkJobDescription(loaded.content, posting) };
}

export const checksRoutes: FastifyPluginAsync<{ store: DocumentStore; tokens: TokenService }> = async (
  app,
  { store, tokens },
) => {
  app.addHook('preHandler', authenticate(tokens));
  app.get('/api/documents/:id/checks', async (request): Promise<DocumentChecks> => {
    const id = accessibleDocumentId(request.params, principalOf(request), 'read');
    const { version } = versionQuery.parse(request.query);
    const meta = await store.getDocument(id);
    if (meta === null) throw HttpError.of('DOCUMENT_NOT_FOUND', `Document ${id} does not exist.`);
    return checkDocument(store, meta, version);
  });
};
