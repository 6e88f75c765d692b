import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { extractBearerToken, extractToken } from '../../src/auth/extract-token.js';

const req = (url: string, headers: IncomingHttpHeaders = {}) => ({ url, headers });

describe('extractToken', () => {
  it('reads ?token=', () => {
    expect(extractToken(req('/ws/document/a?token=abc.def.ghi'))).toBe('abc.def.ghi');
    expect(extractToken(req('/ws/document/a?x=1&token=t1&y=2'))).toBe('t1');
  });

  it('reads the jd-collab.auth.<JWT> subprotocol offer', () => {
    const headers = { 'sec-websocket-protocol': 'jd-collab.v1, jd-collab.auth.eyJa.eyJb.sig' };
    expect(extractToken(req('/ws/document/a', headers))).toBe('eyJa.eyJb.sig');
  });

  it('reads Authorization: Bearer', () => {
    expect(extractToken(req('/api/documents', { authorization: 'Bearer tok' }))).toBe('tok');
    expect(extractToken(req('/api/documents', { authorization: 'bearer  tok ' }))).toBe('tok');
  });

  it('prefers the header, then the subprotocol, then the query', () => {
    const all = { authorization: 'Bearer h', 'sec-websocket-protocol': 'jd-collab.v1, jd-collab.auth.p' };
    expect(extractToken(req('/x?token=q', all))).toBe('h');
    expect(extractToken(req('/x?token=q', { 'sec-websocket-protocol': 'jd-collab.auth.p' }))).toBe('p');
  });

  it('returns null when there is no token', () => {
    expect(extractToken(req('/ws/document/a'))).toBeNull();
    expect(extractToken(req('/ws/document/a?token='))).toBeNull();
    expect(
      extractToken(req('/ws/document/a', { 'sec-websocket-protocol': 'jd-collab.v1, jd-collab.auth.' })),
    ).toBeNull();
    expect(extractToken(req('/ws/document/a', { authorization: 'Basic dXNlcjpwdw==' }))).toBeNull();
    expect(extractToken(req('/ws/document/a', { authorization: 'Bearer' }))).toBeNull();
  });

  it('only takes HTTP tokens from the header in extractBearerToken', () => {
    expect(extractBearerToken({ 'sec-websocket-protocol': 'jd-collab.auth.p' })).toBeNull();
    expect(extractBearerToken({ authorization: 'Bearer a b' })).toBeNull();
  });
});
