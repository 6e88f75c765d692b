import { describe, expect, it } from 'vitest';
import { classifyClose } from '../src/error-policy.js';

describe('classifyClose', () => {
  const close = (code: number, httpStatus?: number) => ({
    code,
    reason: '',
    wasOpen: httpStatus === undefined,
    httpStatus,
  });

  it('maps refused upgrades by HTTP status', () => {
    expect(classifyClose(close(1006, 401), undefined)).toMatchObject({
      kind: 'auth',
      error: { code: 'UNAUTHORIZED' },
    });
    expect(classifyClose(close(1006, 403), undefined)).toMatchObject({
      kind: 'fatal',
      error: { code: 'FORBIDDEN' },
    });
    expect(classifyClose(close(1006, 404), undefined)).toMatchObject({
      kind: 'fatal',
      error: { code: 'DOCUMENT_NOT_FOUND' },
    });
    expect(classifyClose(close(1006, 400), undefined).kind).toBe('fatal');
    expect(classifyClose(close(1006, 502), undefined)).toMatchObject({
      kind: 'network',
      error: { code: 'NETWORK_ERROR' },
    });
  });

  it('explains a policy close with the preceding system.error', () => {
    expect(classifyClose(close(1008), 'TOKEN_EXPIRED')).toMatchObject({
      kind: 'auth',
      error: { code: 'TOKEN_EXPIRED' },
    });
    expect(classifyClose(close(1008), 'DOCUMENT_NOT_FOUND').kind).toBe('fatal');
    expect(classifyClose(close(1008), 'RATE_LIMITED').kind).toBe('network');
    expect(classifyClose(close(1008), undefined).kind).toBe('auth');
  });

  it('treats server failures, restarts and network loss differently', () => {
    expect(classifyClose(close(1011), undefined).kind).toBe('server');
    expect(classifyClose(close(1012), undefined).kind).toBe('restart');
    expect(classifyClose(close(1006), undefined)).toMatchObject({
      kind: 'network',
      error: { code: 'NETWORK_ERROR' },
    });
    expect(classifyClose(close(4000), undefined).kind).toBe('network');
  });
});
