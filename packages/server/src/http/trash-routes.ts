/**
 * The trash (documents moved there by DELETE /api/documents/:id). Who deleted a document, or
 * could have (administrators, and its creator while a writer: auth/permissions.ts canDelete),
 * sees it here and can restore it; administrators can also delete it for good. What nobody
 * restores is purged after TRASH_RETENTION_DAYS (documents/purge-trash.ts).
 *
 * GET    /api/trash                      the trashed documents this user may restore
 * POST   /api/documents/:id/restore      back to the list, with history and versions intact
 * DELETE /api/trash/:id                  administrators: delete permanently
 */
import type { TrashedDocument, TrashList } from '@jd-collab/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { canDelete, canPurge, canRead } from '../auth/permissions.js';
import type { Principal, TokenService } from '../auth/tokens.js';
import type { DocumentMeta, DocumentStore } from '../storage/types.js';
import { authenticate, principalOf } from './authenticate.js';
import { accessibleDocumentId } from './document-access.js';
import { documentSummary } from './document-summary.js';
import { HttpError } from './errors.js';
import type { RestRateLimits } from './rate-limits.js';
import type { CollabView } from './types.js';

export interface TrashRoutesOptions {
  store: DocumentStore;
  tokens: TokenService;
  collab?: CollabView | undefined;
  limits: RestRateLimits;
}

function trashed(meta: DocumentMeta, p: Principal): TrashedDocument {
  return {
    id: meta.id,
    title: meta.title,
    department: meta.department,
    status: meta.status,
    version: meta.version,
    createdAt: meta.createdAt,
    createdBy: meta.createdBy,
    deletedAt: meta.deletedAt ?? 0,
    deletedBy: meta.deletedBy ?? '',
    deletedByName: meta.deletedByName ?? '',
    canPurge: canPurge(p),
  };
}

export const trashRoutes: FastifyPluginAsync<TrashRoutesOptions> = async (
  app,
  { store, tokens, collab, limits },
) => {
  app.addHook('preHandler', authenticate(tokens));
  const write = { preHandler: limits.guard('write') };

  /** The trashed document behind :id, once the principal may read the id (checked first). */
  const inTrash = async (params: unknown, p: Principal): Promise<DocumentMeta> => {
    const id = accessibleDocumentId(params, p, 'read');
    const meta = await store.findDocument(id);
    if (meta === null || meta.deletedAt === null) {
      throw HttpError.of('DOCUMENT_NOT_FOUND', `Document ${id} is not in the trash.`);
    }
    return meta;
  };

  app.get('/api/trash', async (request): Promise<TrashList> => {
    const p = principalOf(request);
    const documents = (await store.listTrash())
      .filter((meta) => canRead(p, meta.id) && canDelete(p, meta))
      .map((meta) => trashed(meta, p));
    return { documents };
  });

  app.post('/api/documents/:id/restore', write, async (request) => {
    const p = principalOf(request);
    const meta = await inTrash(request.params, p);
    if (!canDelete(p, meta)) {
      throw HttpError.of('FORBIDDEN', 'Only administrators and the person who created it may restore it.');
    }
    const restored = await store.restoreDocument(meta.id);
    if (restored === null)
      throw HttpError.of('DOCUMENT_NOT_FOUND', `Document ${meta.id} is not in the trash.`);
    return documentSummary(restored, p, collab);
  });

  app.delete('/api/trash/:id', write, async (request, reply) => {
    const p = principalOf(request);
    const meta = await inTrash(request.params, p);
    if (!canPurge(p)) throw HttpError.of('FORBIDDEN', 'Only administrators may delete permanently.');
    if (!(await store.deleteDocument(meta.id))) {
      throw HttpError.of('DOCUMENT_NOT_FOUND', `Document ${meta.id} is not in the trash.`);
    }
    return reply.code(204).send();
  });
};
