/**
 * Signs the HS256 access tokens the server accepts (see packages/server/src/auth/tokens.ts: HS256
 * only, `sub` and `exp` required, `name` and `permissions` claims). Done here with node:crypto
 * because the generator signs thousands of them and the server package exports no library entry.
 */
import { createHmac } from 'node:crypto';

export interface BenchUser {
  userId: string;
  name?: string;
  /** Default: write access to every document. */
  permissions?: string[];
}

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export function signToken(secret: string, user: BenchUser, ttlSeconds = 6 * 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: user.userId,
    name: user.name ?? user.userId,
    permissions: user.permissions ?? ['document:*:write'],
    roles: [],
    iat: now,
    exp: now + ttlSeconds,
  };
  const body = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
