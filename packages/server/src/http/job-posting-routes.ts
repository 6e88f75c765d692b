import type { FastifyPluginAsync } from 'fastify';
import type { TokenService } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { jobPosting } from '../documents/job-posting.js';
import { loadContent } from '../documents/load-content.js';
import type { DocumentStore } from '../storage/types.js';
import { authenticate, principalOf } from './authenticate.js';
import { accessibleDocumentId } from './document-access.js';
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
    const id = accessibleDocumentId(request.params, principalOf(request), 'read');
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
