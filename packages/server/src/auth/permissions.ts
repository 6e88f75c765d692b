/**
 * Document permissions, from the design:
 * - `document:{id}:read` / `document:{id}:write` for one document,
 * - `document:*:read` / `document:*:write` for every document,
 * - role `admin` for everything (including deleting documents).
 * Write implies read. Only these exact forms grant anything: no prefix or pattern matching.
 *
 * Deleting (moving to the trash, and restoring from it) is for administrators and for the
 * document's creator while they may still write it: the person who made a draft can throw it
 * away. Deleting permanently (purging) is for administrators only.
 */
import type { Principal } from './tokens.js';

type Access = 'read' | 'write';

type PermissionHolder = Pick<Principal, 'permissions' | 'roles'>;

/** What the delete rules need to know about a document. */
export interface OwnedDocument {
  id: string;
  createdBy: string;
}

export function isAdmin(p: PermissionHolder): boolean {
  return p.roles.includes('admin');
}

function grants(p: PermissionHolder, documentId: string, access: Access): boolean {
  return (
    p.permissions.includes(`document:${documentId}:${access}`) ||
    p.permissions.includes(`document:*:${access}`)
  );
}

export function canWrite(p: PermissionHolder, documentId: string): boolean {
  return isAdmin(p) || grants(p, documentId, 'write');
}

export function canRead(p: PermissionHolder, documentId: string): boolean {
  return canWrite(p, documentId) || grants(p, documentId, 'read');
}

/** Moving the document to the trash, seeing it there, and restoring it. */
export function canDelete(p: PermissionHolder & Pick<Principal, 'userId'>, doc: OwnedDocument): boolean {
  return isAdmin(p) || (doc.createdBy === p.userId && canWrite(p, doc.id));
}

/** Deleting permanently (from the trash, or before its retention ends). */
export function canPurge(p: PermissionHolder): boolean {
  return isAdmin(p);
}
