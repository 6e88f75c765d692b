/**
 * - POST /api/auth/dev-login {name}: development sign-in without passwords. Issues a token for a
 *   user whose id derives from the name, so the same name is the same user across sessions.
 *   Grants `document:*:write`, no roles. Not registered at all in production (404).
 * - GET /api/auth/me: the principal of the bearer token.
 */
import { createHash } from 'node:crypto';
import { type DevLoginResult, type Me, storableTextSchema, userColor } from '@jd-collab/protocol';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { TokenService } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { slugify } from '../slug.js';
import { authenticate, principalOf } from './authenticate.js';
import type { RestRateLimits } from './rate-limits.js';

export const DEV_PERMISSIONS = ['document:*:write'];

const devLoginBody = z.strictObject({
  name: storableTextSchema
    .trim()
    .min(1, 'name must not be empty')
    .max(60, 'name must be at most 60 characters')
    .regex(/^[^\p{Cc}]+$/u, 'name must not contain control characters'),
});

/**
 * `u-<slug of the name>`; names with no Latin letters or digits (e.g. "张伟") get a stable hash
 * instead. Case, accents and punctuation do not count: "Zoë Smith" and "zoe smith" are one user.
 */
export function devUserId(name: string): string {
  const slug = slugify(name, 60);
  if (slug !== '') return `u-${slug}`;
  const digest = createHash('sha256').update(name.trim().toLowerCase()).digest('hex');
  return `u-${digest.slice(0, 16)}`;
}

export interface AuthRoutesOptions {
  config: Pick<Config, 'production' | 'tokenTtlSeconds'>;
  tokens: TokenService;
  limits: RestRateLimits;
}

export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (app, { config, tokens, limits }) => {
  if (!config.production) {
    const preHandler = limits.guard('sign_in');
    app.post('/api/auth/dev-login', { preHandler }, async (request): Promise<DevLoginResult> => {
      const { name } = devLoginBody.parse(request.body);
      const id = devUserId(name);
      const token = await tokens.sign(
        { sub: id, name, permissions: DEV_PERMISSIONS, roles: [] },
        config.tokenTtlSeconds,
      );
      const principal = await tokens.verify(token);
      return { token, user: { id, name, color: userColor(id) }, expiresAt: principal.expiresAt };
    });
  }

  app.get('/api/auth/me', { preHandler: authenticate(tokens) }, async (request): Promise<Me> => {
    const p = principalOf(request);
    return {
      user: { id: p.userId, name: p.name, color: userColor(p.userId) },
      permissions: p.permissions,
      roles: p.roles,
      expiresAt: p.expiresAt,
    };
  });
};
