import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError, createTokenService } from '../../src/auth/tokens.js';

const SECRET = 'test-secret-with-enough-entropy-123456';
const key = new TextEncoder().encode(SECRET);
const tokens = createTokenService(SECRET);
const now = () => Math.floor(Date.now() / 1000);

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A token assembled by hand, signed with HMAC-SHA256 (so only the claims differ from a real one). */
function handMade(header: object, payload: object, sign = true): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = sign ? createHmac('sha256', SECRET).update(input).digest('base64url') : '';
  return `${input}.${signature}`;
}

async function refusal(token: string): Promise<AuthError> {
  const error = await tokens.verify(token).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('createTokenService', () => {
  it('verifies the tokens it signs', async () => {
    const token = await tokens.sign(
      { sub: 'u-alice', name: 'Alice', permissions: ['document:*:write'], roles: ['admin'] },
      3600,
    );
    const principal = await tokens.verify(token);
    expect(principal).toEqual({
      userId: 'u-alice',
      name: 'Alice',
      permissions: ['document:*:write'],
      roles: ['admin'],
      expiresAt: expect.any(Number),
    });
    expect(principal.expiresAt! - Date.now()).toBeGreaterThan(3590_000);
    expect(principal.expiresAt! - Date.now()).toBeLessThanOrEqual(3600_000);
  });

  it('defaults name to sub and permissions/roles to empty lists', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bob')
      .setExpirationTime('1h')
      .sign(key);
    expect(await tokens.verify(token)).toMatchObject({
      userId: 'bob',
      name: 'bob',
      permissions: [],
      roles: [],
    });
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime(now() - 10)
      .sign(key);
    const error = await refusal(token);
    expect(error.code).toBe('TOKEN_EXPIRED');
    expect(error.message).toMatch(/expired/);
  });

  it('refuses a token signed with another secret', async () => {
    const other = createTokenService('another-secret-of-the-same-length-xx');
    const token = await other.sign({ sub: 'alice', name: 'A', permissions: [], roles: [] }, 60);
    const error = await refusal(token);
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toMatch(/signature/);
  });

  it('refuses an unsigned alg:none token', async () => {
    const token = handMade(
      { alg: 'none', typ: 'JWT' },
      { sub: 'admin', roles: ['admin'], exp: now() + 60 },
      false,
    );
    const error = await refusal(token);
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it('refuses HS512 even with the right secret', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject('alice')
      .setExpirationTime('1h')
      .sign(key);
    const error = await refusal(token);
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('HS256');
  });

  it('refuses a token without sub', async () => {
    const error = await refusal(handMade({ alg: 'HS256', typ: 'JWT' }, { exp: now() + 60 }));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('sub');
  });

  it('refuses a token without exp', async () => {
    const error = await refusal(handMade({ alg: 'HS256', typ: 'JWT' }, { sub: 'alice' }));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('exp');
  });

  it('accepts a hand-made HS256 token (the check above is not just "any hand-made token fails")', async () => {
    const principal = await tokens.verify(
      handMade({ alg: 'HS256', typ: 'JWT' }, { sub: 'alice', exp: now() + 60 }),
    );
    expect(principal.userId).toBe('alice');
  });

  it.each([
    ['an empty sub', { sub: '' }],
    ['permissions that are not strings', { sub: 'a', permissions: [1] }],
    ['roles that are not a list', { sub: 'a', roles: 'admin' }],
    ['a name that is not a string', { sub: 'a', name: 42 }],
  ])('refuses %s', async (_label, claims) => {
    const error = await refusal(handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now() + 60 }));
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it.each(['', 'garbage', 'a.b.c', 'eyJ.eyJ.'])('refuses the malformed token %j', async (token) => {
    expect((await refusal(token)).code).toBe('UNAUTHORIZED');
  });

  it('refuses to sign with a non-positive ttl', async () => {
    await expect(tokens.sign({ sub: 'a', name: 'a', permissions: [], roles: [] }, 0)).rejects.toThrow(
      RangeError,
    );
  });
});
