/**
 * Access tokens: JWTs signed with HS256 and a shared secret, and, with an identity provider
 * configured (remote-keys.ts), RS256/ES256 JWTs verified against its published keys.
 *
 * The token's `alg` header only picks which of the two checks it gets; each check accepts its own
 * algorithms only (`alg: none` and every other algorithm are refused, and an HS256 token is never
 * checked against a provider's public key), so a token cannot choose how weakly it is checked.
 * Both require `sub` and `exp`: a token that never expires is a credential that can never be
 * revoked. Tokens are never logged or echoed in error messages.
 *
 * Claims: `sub` (user id), `name` (display name, defaults to sub), `permissions` (e.g.
 * `document:*:write`, see permissions.ts), `roles` (e.g. `admin`).
 */
import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import {
  KeySetUnavailable,
  REMOTE_ALGORITHMS,
  type RemoteKeysOptions,
  remoteVerifier,
} from './remote-keys.js';

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

/** `remote`: also accept RS256/ES256 tokens from this identity provider. */
export function createTokenService(secret: string, remote?: RemoteKeysOptions): TokenService {
  if (secret === '') throw new Error('createTokenService needs a non-empty secret');
  const key = new TextEncoder().encode(secret);
  const verifyRemote = remote ? remoteVerifier(remote) : null;
  const accepted = verifyRemote ? [ALGORITHM, ...REMOTE_ALGORITHMS] : [ALGORITHM];

  const verifyLocal = async (token: string): Promise<JWTPayload> =>
    (await jwtVerify(token, key, { algorithms: [ALGORITHM], requiredClaims: ['sub', 'exp'] })).payload;

  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        const alg = decodeProtectedHeader(token).alg;
        if (alg === ALGORITHM) payload = await verifyLocal(token);
        else if (verifyRemote && REMOTE_ALGORITHMS.some((a) => a === alg))
          payload = await verifyRemote(token);
        else throw new errors.JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value not allowed`);
      } catch (error) {
        throw toAuthError(error, accepted);
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

function toAuthError(error: unknown, accepted: readonly string[]): AuthError {
  if (error instanceof errors.JWTExpired) return new AuthError('TOKEN_EXPIRED', 'The token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AuthError('UNAUTHORIZED', `Invalid token: ${error.message}.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new AuthError('UNAUTHORIZED', `Invalid token: only ${accepted.join(', ')} tokens are accepted.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthError('UNAUTHORIZED', 'Invalid token: the signature does not match.');
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new AuthError('UNAUTHORIZED', 'Invalid token: no key of the identity provider matches it.');
  }
  if (error instanceof KeySetUnavailable) {
    return new AuthError(
      'UNAUTHORIZED',
      "The identity provider's keys could not be fetched; try again later.",
    );
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
