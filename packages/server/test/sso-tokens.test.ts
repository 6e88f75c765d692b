/**
 * Tokens from an identity provider: RS256 and ES256 JWTs verified against its JWKS (served here
 * by a real local HTTP server), with issuer and audience checked, on both ways in (REST and the
 * WebSocket upgrade) of the whole server on a real port. HS256 tokens signed with JWT_SECRET keep
 * working; any other algorithm, issuer, audience or key is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTokenService } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { type RunningServer, startServer } from '../src/server.js';
import { ensureDocument } from './support/documents.js';

const SECRET = 'sso-test-secret-0123456789abcdef-0123456789';
const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'jd-collab';

interface Signer {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signer(alg: 'RS256' | 'ES256' | 'RS384', kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, jwk };
}

let jwks: Server;
let jwksRequests = 0;
let rsa: Signer;
let ec: Signer;
let stranger: Signer; // a key the provider does not publish
let rs384: Signer; // published, but RS384 is not an accepted algorithm
let dataDir: string;
let server: RunningServer;

beforeAll(async () => {
  [rsa, ec, stranger, rs384] = await Promise.all([
    signer('RS256', 'rsa-1'),
    signer('ES256', 'ec-1'),
    signer('RS256', 'rsa-1'), // same kid, another key
    signer('RS384', 'rsa-384'),
  ]);
  jwks = createServer((req, res) => {
    jwksRequests++;
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [rsa.jwk, ec.jwk, rs384.jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', () => resolve()));
  const { port } = jwks.address() as AddressInfo;
  dataDir = mkdtempSync(join(tmpdir(), 'jd-sso-'));
  server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      WEB_DIR: '/nonexistent/jd-collab-web',
      SHUTDOWN_TIMEOUT_MS: '2000',
      JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    }),
    { seed: false },
  );
  await ensureDocument(server.store, 'sso-doc');
});

afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => jwks?.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

interface Claims {
  iss?: string;
  aud?: string;
  expiresIn?: number;
}

function idpToken(key: Signer, claims: Claims = {}, alg = key.alg): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ name: 'Ada from the IdP', permissions: ['document:*:write'] })
    .setProtectedHeader({ alg, kid: key.kid, typ: 'JWT' })
    .setSubject('idp|ada')
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresIn ?? 600));
  const iss = 'iss' in claims ? claims.iss : ISSUER;
  const aud = 'aud' in claims ? claims.aud : AUDIENCE;
  if (iss !== undefined) jwt = jwt.setIssuer(iss);
  if (aud !== undefined) jwt = jwt.setAudience(aud);
  return jwt.sign(key.privateKey);
}

async function me(
  token: string,
): Promise<{ status: number; body: { code?: string; user?: { id: string } } }> {
  const res = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { code?: string; user?: { id: string } } };
}

/** 'open', or the HTTP status and code of the refused upgrade. */
function upgrade(token: string): Promise<'open' | { status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/document/sso-doc`, [
      'jd-collab.v1',
      `jd-collab.auth.${token}`,
    ]);
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: JSON.parse(body).code }));
    });
    ws.on('error', reject);
  });
}

describe('tokens from an identity provider (JWKS)', () => {
  it.each(['RS256', 'ES256'])(
    'accepts %s tokens with the right issuer and audience, on REST and WebSocket',
    async (alg) => {
      const token = await idpToken(alg === 'RS256' ? rsa : ec);
      expect(await me(token)).toMatchObject({ status: 200, body: { user: { id: 'idp|ada' } } });
      expect(await upgrade(token)).toBe('open');
    },
  );

  it('keeps accepting HS256 tokens signed with JWT_SECRET', async () => {
    const token = await createTokenService(SECRET).sign(
      { sub: 'u-local', name: 'Local', permissions: ['document:*:write'], roles: [] },
      600,
    );
    expect((await me(token)).status).toBe(200);
    expect(await upgrade(token)).toBe('open');
  });

  const refusals: Array<[string, () => Promise<string>, string]> = [
    ['another issuer', () => idpToken(rsa, { iss: 'https://evil.example.test/' }), 'UNAUTHORIZED'],
    ['no issuer', () => idpToken(rsa, { iss: undefined }), 'UNAUTHORIZED'],
    ['another audience', () => idpToken(ec, { aud: 'another-app' }), 'UNAUTHORIZED'],
    ['no audience', () => idpToken(ec, { aud: undefined }), 'UNAUTHORIZED'],
    ['a key the provider does not publish', () => idpToken(stranger), 'UNAUTHORIZED'],
    ['an algorithm other than RS256/ES256 (RS384, published key)', () => idpToken(rs384), 'UNAUTHORIZED'],
    ['an expired token', () => idpToken(rsa, { expiresIn: -60 }), 'TOKEN_EXPIRED'],
    [
      'HS256 signed with the provider public key (algorithm confusion)',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ permissions: ['document:*:write'] })
          .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
          .setSubject('idp|mallory')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime(now + 600)
          .sign(new TextEncoder().encode(JSON.stringify(rsa.jwk)));
      },
      'UNAUTHORIZED',
    ],
    [
      'alg none',
      async () => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const exp = Math.floor(Date.now() / 1000) + 600;
        return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'idp|mallory', iss: ISSUER, aud: AUDIENCE, exp })}.`;
      },
      'UNAUTHORIZED',
    ],
  ];

  it.each(refusals)('refuses %s on REST and WebSocket', async (_what, make, code) => {
    const token = await make();
    expect(await me(token)).toMatchObject({ status: 401, body: { code } });
    expect(await upgrade(token)).toEqual({ status: 401, code });
  });

  it('fetched the key set from the provider (and keeps it cached)', () => {
    expect(jwksRequests).toBeGreaterThanOrEqual(1);
    expect(jwksRequests).toBeLessThan(5);
  });
});

describe('an identity provider that does not answer', () => {
  it('refuses its tokens with UNAUTHORIZED naming the cause, and still takes HS256 tokens', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const tokens = createTokenService(SECRET, {
      jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    await expect(tokens.verify(await idpToken(rsa))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringContaining('could not be fetched'),
    });
    const local = await tokens.sign({ sub: 'u-1', name: 'One', permissions: [], roles: [] }, 60);
    await expect(tokens.verify(local)).resolves.toMatchObject({ userId: 'u-1' });
  });
});
