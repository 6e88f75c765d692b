/**
 * Bearer authentication for the HTTP API: a preHandler that verifies the `Authorization: Bearer`
 * token and remembers the request's principal. REST calls take the token from the header only
 * (no `?token=`), so it never lands in proxy access logs.
 */
import type { FastifyRequest } from 'fastify';
import { extractBearerToken } from '../auth/extract-token.js';
import { AuthError, type Principal, type TokenService } from '../auth/tokens.js';
import { HttpError } from './errors.js';

const principals = new WeakMap<FastifyRequest, Principal>();

export function authenticate(tokens: TokenService): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const token = extractBearerToken(request.headers);
    if (token === null) {
      throw HttpError.of('UNAUTHORIZED', 'Missing "Authorization: Bearer <token>" header.');
    }
    try {
      principals.set(request, await tokens.verify(token));
    } catch (error) {
      if (error instanceof AuthError) throw HttpError.of(error.code, error.message);
      throw error;
    }
  };
}

/** The principal `authenticate` verified for this request. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = principals.get(request);
  if (principal === undefined) throw new Error('principalOf() used on a route without authenticate()');
  return principal;
}
