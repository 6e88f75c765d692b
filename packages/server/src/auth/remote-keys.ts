/**
 * Tokens from an identity provider (SSO): RS256 or ES256 JWTs whose keys the provider publishes
 * as a JWKS at JWT_JWKS_URL. The key set is fetched on first use and cached (refetched when a
 * token names an unknown `kid`, at most every 30 s); `iss` and `aud` must be JWT_ISSUER and
 * JWT_AUDIENCE, so a token the same provider issued for another application is refused.
 */
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';

export const REMOTE_ALGORITHMS = ['RS256', 'ES256'] as const;

export interface RemoteKeysOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
}

/** The key set could not be fetched (provider down, slow, or answering with an error). */
export class KeySetUnavailable extends Error {
  override readonly name = 'KeySetUnavailable';
}

/**
 * Verifies a provider's token; rejects with KeySetUnavailable, or with jose's errors about the
 * token itself (tokens.ts turns both into AuthErrors).
 */
export type RemoteVerifier = (token: string) => Promise<JWTPayload>;

/** How long one fetch of the key set may take. */
const FETCH_TIMEOUT_MS = 3_000;

export function remoteVerifier(options: RemoteKeysOptions): RemoteVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: FETCH_TIMEOUT_MS });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: [...REMOTE_ALGORITHMS],
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ['sub', 'exp', 'iss', 'aud'],
      });
      return payload;
    } catch (error) {
      throw isFetchFailure(error)
        ? new KeySetUnavailable('the key set could not be fetched', { cause: error })
        : error;
    }
  };
}

/** fetch() failing (TypeError: refused, DNS), timing out, or answering with something else than a key set. */
function isFetchFailure(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC')
  );
}
