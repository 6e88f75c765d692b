/**
 * Turns whatever a route throws into `{ code, message }` with the right status. Client mistakes
 * are answered precisely; anything unexpected is logged with its stack and answered with a bare
 * INTERNAL_ERROR (no internals leak to clients).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AuthError } from '../auth/tokens.js';
import { LoadContentError } from '../documents/load-content.js';
import { isStoreError } from '../storage/store-errors.js';
import { HttpError } from './errors.js';

export function toHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (error instanceof ZodError) return HttpError.of('INVALID_MESSAGE', describeZodError(error));
  if (error instanceof AuthError) return HttpError.of(error.code, error.message);
  if (error instanceof LoadContentError) {
    return error.code === 'DOCUMENT_NOT_FOUND'
      ? HttpError.of('DOCUMENT_NOT_FOUND', error.message)
      : new HttpError(404, 'VERSION_NOT_FOUND', error.message);
  }
  if (isStoreError(error, 'DOCUMENT_NOT_FOUND')) return HttpError.of('DOCUMENT_NOT_FOUND', error.message);
  if (isStoreError(error, 'CLOSED')) return HttpError.of('STORAGE_UNAVAILABLE', 'Storage is unavailable.');
  return fromFastifyError(error as Partial<FastifyError>);
}

/** Fastify's own client errors (body parsing, content type, URL), which carry a 4xx statusCode. */
function fromFastifyError(error: Partial<FastifyError>): HttpError | null {
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return null;
  const message = error.message ?? 'Bad request';
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return HttpError.of('INVALID_JSON', message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return HttpError.of('MESSAGE_TOO_LARGE', message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', message);
    default:
      if (error instanceof SyntaxError) return HttpError.of('INVALID_JSON', message);
      return new HttpError(status, 'INVALID_MESSAGE', message);
  }
}

export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const httpError = toHttpError(error);
  if (httpError === null) {
    request.log.error({ err: error }, 'request failed');
    void reply.code(500).send(HttpError.of('INTERNAL_ERROR').body());
    return;
  }
  if (httpError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
  if (httpError.statusCode === 401) {
    void reply.header('www-authenticate', 'Bearer realm="jd-collab"');
  }
  void reply.code(httpError.statusCode).send(httpError.body());
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply
    .code(404)
    .send(
      new HttpError(404, 'NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`).body(),
    );
}
