/** A document as the REST API answers it: its metadata, what this user may do, who is in it now. */
import type { DocumentSummary, PresentUser } from '@jd-collab/protocol';
import { canDelete, canWrite } from '../auth/permissions.js';
import type { Principal } from '../auth/tokens.js';
import type { DocumentMeta } from '../storage/types.js';
import type { CollabView } from './types.js';

/** One entry per user (a user with two tabs open is one person in the list), active if any session is. */
export function presentUsers(collab: CollabView | undefined, id: string): PresentUser[] {
  const users = new Map<string, PresentUser>();
  for (const u of collab?.presenceOf(id) ?? []) {
    const seen = users.get(u.userId);
    if (seen === undefined)
      users.set(u.userId, { userId: u.userId, name: u.name, color: u.color, status: u.status });
    else if (u.status === 'active') seen.status = 'active';
  }
  return [...users.values()];
}

export function documentSummary(
  meta: DocumentMeta,
  p: Principal,
  collab: CollabView | undefined,
): DocumentSummary {
  return {
    id: meta.id,
    title: meta.title,
    department: meta.department,
    status: meta.status,
    version: meta.version,
    createdAt: meta.createdAt,
    createdBy: meta.createdBy,
    updatedAt: meta.updatedAt,
    updatedBy: meta.updatedBy,
    updatedByName: meta.updatedByName,
    canWrite: canWrite(p, meta.id),
    canDelete: canDelete(p, meta),
    incarnation: meta.incarnation,
    posting: meta.posting,
    users: presentUsers(collab, meta.id),
  };
}
