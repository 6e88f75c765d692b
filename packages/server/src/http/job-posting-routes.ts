/**
 * GET /api/documents/:id/job-posting: the document as schema.org JobPosting JSON-LD
 * (`application/ld+json`, documents/job-posting.ts), for job boards and Google for Jobs. While a
 * property Google requires cannot be filled (no location, no hiring organisation configured),
 * the answer is 422 JOB_POSTING_INCOMPLETE naming them, with the partial JSON-LD as `jobPosting`.
 */
import { isValidDocumentId } from '@jd-collab/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { canRead } from '../auth/permissions.js';
import type { TokenService } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { jobPosting } from '../documents/job-posting.js';
import { loadContent } from '../documents/load-content.js';
import type { DocumentStore } from '../storage/types.js';
import { authenticate, principalOf } from './authenticate.js';
import { HttpError } from './errors.js';

export interface JobPostingRoutesOptions {
  store: DocumentStore;
  tokens: TokenService;
  organization: Config['hiringOrganization'];
}

export const jobPostingRoutes: FastifyPluginAsync<JobPostingRoutesOptions> = async (
  app,
  { store, tokens, organization },
) => {
  app.addHook('preHandler', authenticate(tokens));
  app.get('/api/documents/:id/job-posting', async (request, reply) => {
    const p = principalOf(request);
    const id = (request.params as { id?: unknown }).id;
    if (!isValidDocumentId(id)) throw HttpError.of('INVALID_DOCUMENT_ID');
    if (!canRead(p, id)) throw HttpError.of('FORBIDDEN', `You may not read document ${id}.`);
    const meta = await store.getDocument(id);
    if (meta === null) throw HttpError.of('DOCUMENT_NOT_FOUND', `Document ${id} does not exist.`);
    const { content } = await loadContent(store, id);
    const { jsonLd, missing } = jobPosting(
      { id, title: meta.title, content, posting: meta.posting, datePosted: meta.createdAt },
      organization,
    );
    if (missing.length > 0) {
      throw new HttpError(
        422,
        'JOB_POSTING_INCOMPLETE',
        `The job posting lacks what job boards require: ${missing.join(', ')}`,
        { missing, jobPosting: jsonLd },
      );
    }
    return reply.type('application/ld+json; charset=utf-8').send(JSON.stringify(jsonLd));
  });
};
