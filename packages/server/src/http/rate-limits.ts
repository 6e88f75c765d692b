/**
 * REST rate limits (@fastify/rate-limit, counted in this node's memory, one-minute windows):
 * - `sign_in`: sign-ins per client address (request.ip: X-Forwarded-For behind trusted proxies);
 * - `create`: document creations per user;
 * - `write`: writes (POST, PATCH, DELETE) per user, so people behind one NAT do not share a budget.
 * Routes opt in with `preHandler: limits.guard(...)`, which runs after authentication. A request
 * past a limit does nothing and is answered 429 RATE_LIMITED `{code, message}` with Retry-After.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import { principalOf } from './authenticate.js';
import { HttpError } from './errors.js';
import type { App } from './types.js';

export type RestLimit = 'sign_in' | 'create' | 'write';

export interface RestRateLimits {
  /** A preHandler that counts the request against `limit` and refuses it past the limit. */
  guard(limit: RestLimit): preHandlerAsyncHookHandler;
}

export type RateLimitConfig = Pick<
  Config,
  'restSignInsPerMinute' | 'restCreatesPerMinute' | 'restWritesPerMinute'
>;

const WINDOW_MS = 60_000;

const WHAT: Record<RestLimit, string> = {
  sign_in: 'sign-ins from your address',
  create: 'documents created',
  write: 'changes to documents',
};

export async function registerRateLimits(
  app: App,
  config: RateLimitConfig,
  metrics: Pick<Metrics, 'httpRateLimited'>,
): Promise<RestRateLimits> {
  // global: false: only the routes that ask are limited (health checks and reads never are).
  await app.register(rateLimit, { global: false });
  const max: Record<RestLimit, number> = {
    sign_in: config.restSignInsPerMinute,
    create: config.restCreatesPerMinute,
    write: config.restWritesPerMinute,
  };
  const byUser = (request: FastifyRequest): string => principalOf(request).userId;
  const byAddress = (request: FastifyRequest): string => request.ip;

  // One counter per limit, shared by every route it guards (each createRateLimit has its own store).
  const checks = new Map<RestLimit, ReturnType<App['createRateLimit']>>();
  const checkOf = (limit: RestLimit) => {
    let check = checks.get(limit);
    if (check === undefined) {
      check = app.createRateLimit({
        max: max[limit],
        timeWindow: WINDOW_MS,
        keyGenerator: limit === 'sign_in' ? byAddress : byUser,
      });
      checks.set(limit, check);
    }
    return check;
  };

  return {
    guard(limit) {
      const check = checkOf(limit);
      return async (request, reply) => {
        const result = await check(request);
        if (result.isAllowed || !result.isExceeded) return;
        metrics.httpRateLimited.inc({ limit });
        const seconds = Math.max(1, result.ttlInSeconds);
        void reply.header('retry-after', String(seconds));
        throw HttpError.of(
          'RATE_LIMITED',
          `Too many ${WHAT[limit]}: at most ${result.max} a minute. Retry in ${seconds} s.`,
        );
      };
    },
  };
}
