/**
 * Errors of the HTTP API. Every error response is JSON `{ code, message }`. Codes come from the
 * protocol's registry (with its HTTP status) where one fits; the few that only exist over HTTP
 * are listed in HttpOnlyErrorCode.
 */
import { type ErrorCode, ErrorCodes } from '@jd-collab/protocol';

export type HttpOnlyErrorCode =
  /** No such route (or the dev login in production). */
  | 'NOT_FOUND'
  /** GET /api/documents/:id/content?version=N for a version the document does not have. */
  | 'VERSION_NOT_FOUND'
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** GET /api/documents/:id/job-posting while a property Google requires cannot be filled. */
  | 'JOB_POSTING_INCOMPLETE';

export type HttpErrorCode = ErrorCode | HttpOnlyErrorCode;

export interface ErrorBody {
  code: HttpErrorCode;
  message: string;
}

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: HttpErrorCode,
    message: string,
    /** More fields of the body, next to code and message (e.g. the findings of CHECKS_FAILED). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** An error from the protocol registry, with its HTTP status and (by default) its message. */
  static of(code: ErrorCode, message?: string): HttpError {
    const info = ErrorCodes[code];
    return new HttpError(info.httpStatus, code, message ?? info.message);
  }

  body(): ErrorBody {
    return { ...this.extra, code: this.code, message: this.message };
  }
}
