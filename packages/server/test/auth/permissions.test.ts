import { describe, expect, it } from 'vitest';
import { canDelete, canPurge, canRead, canWrite, isAdmin } from '../../src/auth/permissions.js';

const who = (permissions: string[], roles: string[] = []) => ({ permissions, roles });

describe('permissions', () => {
  // [label, principal, documentId, canRead, canWrite, isAdmin]
  it.each([
    ['nobody', who([]), 'doc-1', false, false, false],
    ['reader of doc-1', who(['document:doc-1:read']), 'doc-1', true, false, false],
    ['reader of doc-1 on doc-2', who(['document:doc-1:read']), 'doc-2', false, false, false],
    ['writer of doc-1', who(['document:doc-1:write']), 'doc-1', true, true, false],
    ['writer of doc-1 on doc-2', who(['document:doc-1:write']), 'doc-2', false, false, false],
    ['global reader', who(['document:*:read']), 'doc-1', true, false, false],
    ['global writer', who(['document:*:write']), 'doc-1', true, true, false],
    [
      'global reader and writer of doc-1',
      who(['document:*:read', 'document:doc-1:write']),
      'doc-1',
      true,
      true,
      false,
    ],
    [
      'global reader and writer of doc-1, on doc-2',
      who(['document:*:read', 'document:doc-1:write']),
      'doc-2',
      true,
      false,
      false,
    ],
    ['admin role', who([], ['admin']), 'doc-1', true, true, true],
    ['other role', who([], ['editor']), 'doc-1', false, false, false],
    ['prefix of the id is not the id', who(['document:doc:write']), 'doc-1', false, false, false],
    ['no pattern matching', who(['document:doc-*:write']), 'doc-1', false, false, false],
    ['permission on another resource', who(['template:*:write']), 'doc-1', false, false, false],
    ['admin as a permission is not the role', who(['admin']), 'doc-1', false, false, false],
  ])('%s', (_label, p, id, read, write, admin) => {
    expect(canRead(p, id)).toBe(read);
    expect(canWrite(p, id)).toBe(write);
    expect(isAdmin(p)).toBe(admin);
  });
});

describe('deleting', () => {
  const doc = { id: 'doc-1', createdBy: 'ada' };
  const as = (userId: string, permissions: string[], roles: string[] = []) => ({
    userId,
    permissions,
    roles,
  });
  it.each([
    ['an administrator', as('root', [], ['admin']), true, true],
    ['the creator, a writer', as('ada', ['document:*:write']), true, false],
    ['the creator, now only a reader', as('ada', ['document:*:read']), false, false],
    ['another writer', as('ben', ['document:*:write']), false, false],
    ['the creator with write on another document', as('ada', ['document:doc-2:write']), false, false],
  ])('%s: trash and restore %s, purge %s', (_label, p, trash, purge) => {
    expect(canDelete(p, doc)).toBe(trash);
    expect(canPurge(p)).toBe(purge);
  });
});
