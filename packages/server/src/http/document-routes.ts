/**
 * The documents REST API. Every route needs `Authorization: Bearer <JWT>` and applies the same
 * permission rules as the WebSocket (auth/permissions.ts). Permission is checked before
 * existence, so a user without access learns nothing about which ids exist.
 *
 * GET    /api/documents                      documents the user can read, with who is present
 * POST   /api/documents {title, department?, id?}   create from the job description template
 * GET    /api/documents/:id                  metadata + current content
 * PATCH  /api/documents/:id {title?, status?, department?, posting?}   open sessions get document.updated;
 *                                             publishing is refused (CHECKS_FAILED) while a check finds an error
 * GET    /api/documents/:id/versions         named versions (saved with document.save)
 * GET    /api/documents/:id/content?version=N   content at any past version
 * DELETE /api/documents/:id                  to the trash (trash-routes.ts has the rest); open
 *                                             sessions on every node end with DOCUMENT_DELETED
 *
 * Writes are rate-limited per user (rate-limits.ts): creations, and all writes together.
 */
import { randomBytes } from 'node:crypto';
import {
  type DocumentContent,
  type DocumentDetail,
  type DocumentList,
  type DocumentPatch,
  type DocumentSummary,
  documentStatusSchema,
  ErrorCodes,
  isValidDocumentId,
  type NamedVersionList,
  postingPatchSchema,
  storableTextSchema,
} from '@jd-collab/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { canDelete, canRead, canWrite } from '../auth/permissions.js';
import type { Principal, TokenService } from '../auth/tokens.js';
import { loadContent } from '../documents/load-content.js';
import { jobDescriptionTemplate } from '../seed/index.js';
import { slugify } from '../slug.js';
import type { DocumentMeta, DocumentStore } from '../storage/types.js';
import { authenticate, principalOf } from './authenticate.js';
import { checkDocument } from './checks-routes.js';
import { accessibleDocumentId, versionQuery } from './document-access.js';
import { documentSummary } from './document-summary.js';
import { HttpError } from './errors.js';
import type { RestRateLimits } from './rate-limits.js';
import type { CollabView } from './types.js';

const MAX_TITLE = 200;
const MAX_DEPARTMENT = 100;
const ID_ATTEMPTS = 5;

// Storable text (no U+0000, no lone surrogate), the same definition as over the WebSocket.
const title = storableTextSchema.trim().min(1, 'title must not be empty').max(MAX_TITLE);
const department = storableTextSchema.trim().max(MAX_DEPARTMENT);

const createBody = z.strictObject({
  title,
  department: department.optional(),
  id: z.string().refine(isValidDocumentId, 'id must be 1..128 characters of A-Z a-z 0-9 _ -').optional(),
});

// Typed as the API's DocumentPatch, so the two cannot drift apart.
const patchBody: z.ZodType<DocumentPatch> = z
  .strictObject({
    title: title.optional(),
    status: documentStatusSchema.optional(),
    department: department.optional(),
    posting: postingPatchSchema.optional(),
  })
  .refine(
    (b) =>
      b.title !== undefined ||
      b.status !== undefined ||
      b.department !== undefined ||
      b.posting !== undefined,
    { message: 'give at least one of title, status, department, posting' },
  );

export interface DocumentRoutesOptions {
  store: DocumentStore;
  tokens: TokenService;
  collab?: CollabView | undefined;
  limits: RestRateLimits;
}

export const documentRoutes: FastifyPluginAsync<DocumentRoutesOptions> = async (
  app,
  { store, tokens, collab, limits },
) => {
  // Route preHandlers (the rate limits, counted per user) run after this one.
  app.addHook('preHandler', authenticate(tokens));
  const write = { preHandler: limits.guard('write') };
  const create = { preHandler: [limits.guard('create'), limits.guard('write')] };

  const summary = (meta: DocumentMeta, p: Principal): DocumentSummary => documentSummary(meta, p, collab);

  const detail = async (meta: DocumentMeta, p: Principal): Promise<DocumentDetail> => {
    const { content, version } = await loadContent(store, meta.id);
    return { ...summary(meta, p), version, content };
  };

  /**
   * Publishing is refused while any check finds an error (leftover template placeholders, a missing
   * required section, pay a law requires): CHECKS_FAILED (409) with those findings. The engine is
   * the one the editor shows (checks-routes.ts). A document already published may be re-saved.
   */
  const publishGate = async (id: string): Promise<void> => {
    const meta = mustExist(await store.getDocument(id), id);
    if (meta.status === 'published') return;
    const report = await checkDocument(store, meta);
    const errors = report.findings.filter((f) => f.severity === 'error');
    if (errors.length === 0) return;
    throw new HttpError(
      ErrorCodes.CHECKS_FAILED.httpStatus,
      'CHECKS_FAILED',
      `This job description cannot be published yet: ${errors.length} check${errors.length === 1 ? '' : 's'} found an error (${errors[0]!.message})`,
      { version: report.version, findings: errors },
    );
  };

  const mustExist = (meta: DocumentMeta | null, id: string): DocumentMeta => {
    if (meta === null) throw HttpError.of('DOCUMENT_NOT_FOUND', `Document ${id} does not exist.`);
    return meta;
  };

  app.get('/api/documents', async (request): Promise<DocumentList> => {
    const p = principalOf(request);
    const documents = (await store.listDocuments())
      .filter((meta) => canRead(p, meta.id))
      .sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id))
      .map((meta) => summary(meta, p));
    return { documents };
  });

  app.post('/api/documents', create, async (request, reply) => {
    const p = principalOf(request);
    const body = createBody.parse(request.body);
    const dept = body.department ?? '';
    const content = jobDescriptionTemplate(body.title, dept);
    const candidates = body.id !== undefined ? [body.id] : generatedIds(body.title);
    for (const id of candidates) {
      if (!canWrite(p, id)) throw HttpError.of('FORBIDDEN', `You may not create document ${id}.`);
      const created = await store.createDocument({
        id,
        title: body.title,
        department: dept,
        content,
        createdBy: p.userId,
        createdByName: p.name,
      });
      if (!created) continue;
      const meta = mustExist(await store.getDocument(id), id);
      return reply
        .code(201)
        .header('location', `/api/documents/${id}`)
        .send(await detail(meta, p));
    }
    throw HttpError.of('CONFLICT', `A document with id ${candidates[0]} already exists.`);
  });

  app.get('/api/documents/:id', async (request): Promise<DocumentDetail> => {
    const p = principalOf(request);
    const id = accessibleDocumentId(request.params, p, 'read');
    return detail(mustExist(await store.getDocument(id), id), p);
  });

  app.patch('/api/documents/:id', write, async (request): Promise<DocumentSummary> => {
    const p = principalOf(request);
    const id = accessibleDocumentId(request.params, p, 'write');
    const body = patchBody.parse(request.body);
    if (body.status === 'published') await publishGate(id);
    const meta = mustExist(
      await store.updateDocument(id, { ...body, updatedBy: p.userId, updatedByName: p.name }),
      id,
    );
    collab?.documentUpdated(meta);
    return summary(meta, p);
  });

  app.get('/api/documents/:id/versions', async (request): Promise<NamedVersionList> => {
    const p = principalOf(request);
    const id = accessibleDocumentId(request.params, p, 'read');
    mustExist(await store.getDocument(id), id);
    const versions = await store.listNamedVersions(id);
    return { documentId: id, versions };
  });

  app.get('/api/documents/:id/content', async (request): Promise<DocumentContent> => {
    const p = principalOf(request);
    const id = accessibleDocumentId(request.params, p, 'read');
    const { version } = versionQuery.parse(request.query);
    const loaded = await loadContent(store, id, version);
    return { documentId: id, version: loaded.version, content: loaded.content };
  });

  app.delete('/api/documents/:id', write, async (request, reply) => {
    const p = principalOf(request);
    // Read access first (who may not read learns nothing); then the delete rule, which needs the owner.
    const id = accessibleDocumentId(request.params, p, 'read');
    const meta = mustExist(await store.getDocument(id), id);
    if (!canDelete(p, meta)) {
      throw HttpError.of('FORBIDDEN', 'Only administrators and the person who created it may delete it.');
    }
    const trashed = mustExist(
      await store.trashDocument(id, { deletedBy: p.userId, deletedByName: p.name }),
      id,
    );
    collab?.documentDeleted(id, {
      userId: p.userId,
      name: p.name,
      at: trashed.deletedAt ?? Date.now(),
    });
    return reply.code(204).send();
  });
};

/** `<slug of the title>-<6 random chars>`; a few candidates in case one is taken. */
function generatedIds(title: string): string[] {
  const base = slugify(title, 48) || 'document';
  return Array.from({ length: ID_ATTEMPTS }, () => `${base}-${randomBytes(4).toString('hex').slice(0, 6)}`);
}
