/**
 * The REST API of the jd-collab server, typed. Every failure becomes an ApiError with a code the UI
 * can act on: the server's own `{ code, message }` when it sent one, otherwise NETWORK_ERROR (no
 * answer), TIMEOUT, or BAD_RESPONSE (an answer that is not the JSON we expect, e.g. a proxy's HTML
 * error page). Callers never see a bare TypeError or a JSON parse error.
 */

import type {
  DevLoginResult,
  DocumentContent,
  DocumentDetail,
  DocumentList,
  DocumentPatch,
  DocumentSummary,
  Me,
  NamedVersion,
  NamedVersionList,
  TrashedDocument,
  TrashList,
} from '@jd-collab/protocol';

// The response types are the server's (shared through the protocol package).
export type {
  DevLoginResult,
  DocumentDetail,
  DocumentPatch,
  DocumentStatus,
  DocumentSummary,
  Me,
  NamedVersion,
  PresentUser,
  TrashedDocument,
  User,
} from '@jd-collab/protocol';
export { DOCUMENT_STATUSES } from '@jd-collab/protocol';

/** Codes the client produces itself, next to the server's (UNAUTHORIZED, FORBIDDEN, ...). */
export type ClientSideErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'BAD_RESPONSE';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** The server's error code (e.g. `DOCUMENT_NOT_FOUND`) or a ClientSideErrorCode. */
    readonly code: string,
    message: string,
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
  ) {
    super(message);
  }

  /** The token is missing, invalid or expired: the user has to sign in again. */
  get isAuthError(): boolean {
    return this.status === 401;
  }
}

export interface ApiOptions {
  /** Origin of the server; '' (default) means the page's own origin. */
  baseUrl?: string;
  getToken: () => string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Called on every 401, before the error is thrown (the app signs out). */
  onUnauthorized?: (error: ApiError) => void;
}

export interface Api {
  devLogin(name: string): Promise<DevLoginResult>;
  me(): Promise<Me>;
  listDocuments(): Promise<DocumentSummary[]>;
  createDocument(input: { title: string; department?: string }): Promise<DocumentDetail>;
  getDocument(id: string): Promise<DocumentDetail>;
  updateDocument(id: string, patch: DocumentPatch): Promise<DocumentSummary>;
  listVersions(id: string): Promise<NamedVersion[]>;
  getContent(id: string, version?: number): Promise<DocumentContent>;
  /** Moves it to the trash (restorable until TRASH_RETENTION_DAYS have passed). */
  deleteDocument(id: string): Promise<void>;
  restoreDocument(id: string): Promise<DocumentSummary>;
  listTrash(): Promise<TrashedDocument[]>;
  /** Administrators: deletes a trashed document for good. */
  purgeDocument(id: string): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function createApi(options: ApiOptions): Api {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function request<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) {
      const token = options.getToken();
      if (token !== null) headers.authorization = `Bearer ${token}`;
    }
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new ApiError('TIMEOUT', `The server did not answer within ${timeoutMs / 1000} s.`, 0);
      }
      throw new ApiError('NETWORK_ERROR', 'Cannot reach the server. Check your connection.', 0);
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text().catch(() => '');
    const json = parseJson(text);
    if (!response.ok) {
      const error = errorFrom(response.status, json);
      if (error.isAuthError) options.onUnauthorized?.(error);
      throw error;
    }
    if (json === undefined || typeof json !== 'object' || json === null) {
      throw new ApiError(
        'BAD_RESPONSE',
        `Unexpected answer from the server (${method} ${path}).`,
        response.status,
      );
    }
    return json as T;
  }

  const doc = (id: string) => `/api/documents/${encodeURIComponent(id)}`;

  return {
    devLogin: (name) => request('POST', '/api/auth/dev-login', { name }, false),
    me: () => request('GET', '/api/auth/me'),
    listDocuments: async () => (await request<DocumentList>('GET', '/api/documents')).documents,
    createDocument: (input) => request('POST', '/api/documents', input),
    getDocument: (id) => request('GET', doc(id)),
    updateDocument: (id, patch) => request('PATCH', doc(id), patch),
    listVersions: async (id) => (await request<NamedVersionList>('GET', `${doc(id)}/versions`)).versions,
    getContent: (id, version) =>
      request('GET', `${doc(id)}/content${version === undefined ? '' : `?version=${version}`}`),
    deleteDocument: (id) => request('DELETE', doc(id)),
    restoreDocument: (id) => request('POST', `${doc(id)}/restore`),
    listTrash: async () => (await request<TrashList>('GET', '/api/trash')).documents,
    purgeDocument: (id) => request('DELETE', `/api/trash/${encodeURIComponent(id)}`),
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorFrom(status: number, json: unknown): ApiError {
  if (typeof json === 'object' && json !== null) {
    const { code, message } = json as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && typeof message === 'string') return new ApiError(code, message, status);
  }
  return new ApiError('BAD_RESPONSE', `The server answered ${status} without an explanation.`, status);
}

/** A sentence for the user, for any error (ApiError or not). */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
