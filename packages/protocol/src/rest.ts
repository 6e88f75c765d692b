/**
 * What the REST API answers (docs/api.md), as types shared by the server, which builds these
 * objects, and the web app, which reads them: a field renamed on one side fails to compile on the
 * other. Requests are validated by the server's own schemas; these are the responses.
 */

import type { Posting, PostingPatch } from './posting.js';
import type { PresenceStatus } from './primitives.js';
import { type DocumentStatus, documentStatusSchema } from './server-messages.js';

export const DOCUMENT_STATUSES: readonly DocumentStatus[] = documentStatusSchema.options;

export interface User {
  id: string;
  name: string;
  color: string;
}

/** Someone in a document right now (one entry per user, active if any of their tabs is). */
export interface PresentUser {
  userId: string;
  name: string;
  color: string;
  status: PresenceStatus;
}

/** A document as `GET /api/documents` lists it (and `PATCH` answers). */
export interface DocumentSummary {
  id: string;
  title: string;
  department: string;
  status: DocumentStatus;
  version: number;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string | null;
  updatedByName: string | null;
  canWrite: boolean;
  /** Whether this user may move it to the trash (administrators, and its creator while a writer). */
  canDelete: boolean;
  /** Which creation of this id (see DocumentOpenPayload.incarnation). */
  incarnation: string;
  /** The structured posting fields ({} until someone sets one). */
  posting: Posting;
  users: PresentUser[];
}

/** `GET /api/documents/:id` and `POST /api/documents`: the summary and the text. */
export interface DocumentDetail extends DocumentSummary {
  content: string;
}

export interface DocumentList {
  documents: DocumentSummary[];
}

/** A document in the trash, as `GET /api/trash` lists it. */
export interface TrashedDocument {
  id: string;
  title: string;
  department: string;
  status: DocumentStatus;
  version: number;
  createdAt: number;
  createdBy: string;
  deletedAt: number;
  deletedBy: string;
  deletedByName: string;
  /** Administrators only: whether this user may delete it permanently. */
  canPurge: boolean;
}

export interface TrashList {
  documents: TrashedDocument[];
}

/** A version saved under a name (`document.save`). */
export interface NamedVersion {
  id: string;
  documentId: string;
  name: string;
  version: number;
  createdBy: string;
  createdByName: string;
  createdAt: number;
}

export interface NamedVersionList {
  documentId: string;
  versions: NamedVersion[];
}

/** `GET /api/documents/:id/content?version=`: the text at a version. */
export interface DocumentContent {
  documentId: string;
  version: number;
  content: string;
}

/** `PATCH /api/documents/:id`. */
export interface DocumentPatch {
  title?: string;
  status?: DocumentStatus;
  department?: string;
  /** The posting fields to set (null clears one); the others are kept (posting.ts). */
  posting?: PostingPatch;
}

/** `POST /api/auth/dev-login` (development only). */
export interface DevLoginResult {
  token: string;
  user: User;
  expiresAt: number | null;
}

/** `GET /api/auth/me`. */
export interface Me {
  user: User;
  permissions: string[];
  roles: string[];
  expiresAt: number | null;
}
