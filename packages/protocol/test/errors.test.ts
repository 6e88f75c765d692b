import { describe, expect, it } from 'vitest';
import { CloseCode } from '../src/close-codes.js';
import { ERROR_CODES, ErrorCodes, isErrorCode, protocolError, truncate } from '../src/errors.js';
import { errorPayloadSchema } from '../src/server-messages.js';

const SPEC_CODES = [
  'INVALID_JSON',
  'INVALID_MESSAGE',
  'UNKNOWN_TYPE',
  'INVALID_OP',
  'CHANGE_ID_REUSED',
  'CHECKS_FAILED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'TOO_MANY_CONNECTIONS',
  'MESSAGE_TOO_LARGE',
  'CONFLICT',
  'DOCUMENT_NOT_FOUND',
  'DOCUMENT_DELETED',
  'UNAUTHORIZED',
  'TOKEN_EXPIRED',
  'INVALID_DOCUMENT_ID',
  'DOCUMENT_TOO_LARGE',
  'STORAGE_UNAVAILABLE',
  'INTERNAL_ERROR',
  'SERVER_SHUTTING_DOWN',
];

describe('ErrorCodes', () => {
  it('holds exactly the codes of the spec', () => {
    expect([...ERROR_CODES].sort()).toEqual([...SPEC_CODES].sort());
  });

  it.each(Object.entries(ErrorCodes))(
    '%s: code equals key, has a message, a valid status and close code',
    (key, e) => {
      expect(e.code).toBe(key);
      expect(e.message.length).toBeGreaterThan(5);
      expect(e.httpStatus).toBeGreaterThanOrEqual(400);
      expect(e.httpStatus).toBeLessThan(600);
      if (e.closeCode !== undefined) expect(Object.values(CloseCode)).toContain(e.closeCode);
      if (e.closesConnection) expect(e.closeCode).toBeDefined();
    },
  );

  it('maps upgrade refusals to the HTTP statuses of the spec', () => {
    expect(ErrorCodes.UNAUTHORIZED.httpStatus).toBe(401);
    expect(ErrorCodes.TOKEN_EXPIRED.httpStatus).toBe(401);
    expect(ErrorCodes.FORBIDDEN.httpStatus).toBe(403);
    expect(ErrorCodes.INVALID_DOCUMENT_ID.httpStatus).toBe(400);
    expect(ErrorCodes.DOCUMENT_NOT_FOUND.httpStatus).toBe(404);
    expect(ErrorCodes.DOCUMENT_DELETED.httpStatus).toBe(410);
    expect(ErrorCodes.DOCUMENT_DELETED.closeCode).toBe(1008);
    expect(ErrorCodes.RATE_LIMITED.httpStatus).toBe(429);
    expect(ErrorCodes.TOO_MANY_CONNECTIONS.httpStatus).toBe(429);
  });

  it('recognizes codes', () => {
    expect(isErrorCode('FORBIDDEN')).toBe(true);
    for (const value of ['forbidden', 'toString', '__proto__', '', 1, null])
      expect(isErrorCode(value)).toBe(false);
  });
});

describe('protocolError', () => {
  it('uses the registry message by default and leaves out absent extras', () => {
    const payload = protocolError('INVALID_JSON');
    expect(payload).toEqual({ code: 'INVALID_JSON', message: ErrorCodes.INVALID_JSON.message });
    expect(Object.keys(protocolError('CONFLICT', undefined, { changeId: undefined }))).toEqual([
      'code',
      'message',
    ]);
  });

  it('keeps a specific message and the extras, rounding retryAfter up to whole ms', () => {
    const payload = protocolError('RATE_LIMITED', 'wait', {
      retryAfter: 12.2,
      correlationId: 'c',
      changeId: 'x',
    });
    expect(payload).toEqual({
      code: 'RATE_LIMITED',
      message: 'wait',
      retryAfter: 13,
      correlationId: 'c',
      changeId: 'x',
    });
    expect(errorPayloadSchema.parse(payload)).toEqual(payload);
  });

  it('cuts very long messages so the payload stays valid', () => {
    const payload = protocolError('INVALID_OP', 'x'.repeat(5000));
    expect(payload.message.length).toBeLessThanOrEqual(1000);
    expect(errorPayloadSchema.safeParse(payload).success).toBe(true);
  });
});

describe('truncate', () => {
  it('never splits a surrogate pair', () => {
    const text = `${'a'.repeat(8)}😀😀`;
    for (let max = 2; max <= text.length; max++) {
      const cut = truncate(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(/\p{Cs}/u.test(cut), cut).toBe(false);
    }
  });
});
