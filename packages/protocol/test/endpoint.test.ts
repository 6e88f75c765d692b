import { describe, expect, it } from 'vitest';
import {
  clientSubprotocols,
  documentIdSchema,
  documentPath,
  isValidDocumentId,
  PROTOCOL_NAME,
  readSubprotocols,
} from '../src/endpoint.js';

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl_-';

describe('document ids', () => {
  it('accepts 1..128 characters of [A-Za-z0-9_-]', () => {
    for (const id of ['a', 'jd-42', 'A_b-9', 'x'.repeat(128)]) expect(isValidDocumentId(id)).toBe(true);
    for (const id of ['', 'x'.repeat(129), 'a b', 'a/b', '../x', 'é', 'a.b', 5]) {
      expect(isValidDocumentId(id)).toBe(false);
    }
    expect(documentIdSchema.safeParse('a/b').success).toBe(false);
  });

  it('builds the endpoint path and refuses invalid ids', () => {
    expect(documentPath('jd-42')).toBe('/ws/document/jd-42');
    expect(() => documentPath('../etc')).toThrow(RangeError);
  });
});

describe('subprotocols', () => {
  it('round-trips a token through the offered subprotocols', () => {
    const offered = clientSubprotocols(jwt);
    expect(offered).toEqual([PROTOCOL_NAME, `jd-collab.auth.${jwt}`]);
    expect(readSubprotocols(offered)).toEqual({ supportsProtocol: true, token: jwt });
    expect(readSubprotocols(new Set(offered))).toEqual({ supportsProtocol: true, token: jwt });
    expect(readSubprotocols(offered.join(', '))).toEqual({ supportsProtocol: true, token: jwt });
  });

  it('reports a missing protocol or token', () => {
    expect(readSubprotocols(undefined)).toEqual({ supportsProtocol: false, token: undefined });
    expect(readSubprotocols('jd-collab.v1')).toEqual({ supportsProtocol: true, token: undefined });
    expect(readSubprotocols('jd-collab.auth.')).toEqual({ supportsProtocol: false, token: undefined });
    expect(readSubprotocols(['chat', `jd-collab.auth.${jwt}`])).toEqual({
      supportsProtocol: false,
      token: jwt,
    });
  });
});
