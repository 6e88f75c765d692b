/**
 * Access tokens: JWTs signed with HS256 and a shared secret.
 *
 * Verification accepts HS256 only (`alg: none` and every other algorithm are refused, so a token
 * cannot pick how it is checked), and requires `sub` and `exp`: a token that never expires is a
 * credential that can never be revoked.
 *
 * Claims: `sub` (user id), `name` (display name, defaults to sub), `permissions` (e.g.
 * `document:*:write`, see permissions.ts), `roles` (e.g. `admin`).
 */
import { errors, jwtVerify, SignJWT } from 'jose';

export interface Principal {
  userId: string;
  name: string;
  permissions: string[];
  roles: string[];
  /** ms since epoch; null for principals that do not come from an expiring token. */
  expiresAt: number | null;
}

export type AuthErrorCode = 'UNAUTHORIZED' | 'TOKEN_EXPIRED';

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface TokenClaims {
  sub: string;
  name: string;
  permissions: string[];
  roles: string[];
}

export interface TokenService {
  /** Resolves the token's principal; rejects with AuthError UNAUTHORIZED or TOKEN_EXPIRED. */
  verify(token: string): Promise<Principal>;
  sign(claims: TokenClaims, ttlSeconds: number): Promise<string>;
}

const ALGORITHM = 'HS256';
const MAX_NAME_LENGTH = 200;

export function createTokenService(secret: string): TokenService {
  if (secret === '') throw new Error('createTokenService needs a non-empty secret');
  const key = new TextEncoder().encode(secret);

  return {
    async verify(token) {
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        throw toAuthError(error);
      }
      return principalFrom(payload);
    },

    async sign(claims, ttlSeconds) {
      if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
        throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
      }
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ name: claims.name, permissions: claims.permissions, roles: claims.roles })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(key);
    },
  };
}

function toAuthError(error: unknown): AuthError {
  if (error instanceof errors.JWTExpired) return new AuthError('TOKEN_EXPIRED', 'The token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AuthError('UNAUTHORIZED', `Invalid token: ${error.message}.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new AuthError('UNAUTHORIZED', 'Invalid token: only HS256 tokens are accepted.');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthError('UNAUTHORIZED', 'Invalid token: the signature does not match.');
  }
  // Malformed tokens (JWSInvalid, JWTInvalid, ...). The library's text is enough, without the token.
  const detail = error instanceof Error ? error.message : String(error);
  return new AuthError('UNAUTHORIZED', `Invalid token: ${detail}`);
}

function principalFrom(payload: Record<string, unknown>): Principal {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.trim() === '') {
    throw new AuthError('UNAUTHORIZED', 'Invalid token: "sub" must be a non-empty string.');
  }
  const name = payload.name;
  if (name !== undefined && (typeof name !== 'string' || name.length > MAX_NAME_LENGTH)) {
    throw new AuthError(
      'UNAUTHORIZED',
      `Invalid token: "name" must be a string of at most ${MAX_NAME_LENGTH} characters.`,
    );
  }
  return {
    userId: sub,
    name: typeof name === 'string' && name.trim() !== '' ? name : sub,
    permissions: stringList(payload.permissions, 'permissions'),
    roles: stringList(payload.roles, 'roles'),
    expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null,
  };
}

function stringList(value: unknown, claim: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new AuthError('UNAUTHORIZED', `Invalid token: "${claim}" must be an array of strings.`);
  }
  return value as string[];
}
