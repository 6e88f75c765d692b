/**
 * Document permissions, from the design:
 * - `document:{id}:read` / `document:{id}:write` for one document,
 * - `document:*:read` / `document:*:write` for every document,
 * - role `admin` for everything (including deleting documents).
 * Write implies read. Only these exact forms grant anything: no prefix or pattern matching.
 */
import type { Principal } from './tokens.js';

type Access = 'read' | 'write';

type PermissionHolder = Pick<Principal, 'permissions' | 'roles'>;

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
