import { describe, expect, it } from 'vitest';
import { CloseCode, CloseCodes, closeCodeInfo, shouldReconnect } from '../src/close-codes.js';

describe('close codes', () => {
  it('defines the codes of the spec', () => {
    expect(Object.values(CloseCode).sort()).toEqual([1000, 1008, 1009, 1011, 1012, 4000]);
    for (const [name, info] of Object.entries(CloseCodes)) {
      expect(info.name).toBe(name);
      expect(info.code).toBe(CloseCode[name as keyof typeof CloseCode]);
      // A close frame's reason must fit in 123 bytes.
      expect(new TextEncoder().encode(info.reason).length).toBeLessThanOrEqual(123);
    }
  });

  it('tells clients when reconnecting can help', () => {
    expect(shouldReconnect(1000)).toBe(false);
    expect(shouldReconnect(1008)).toBe(false);
    expect(shouldReconnect(1011)).toBe(true);
    expect(shouldReconnect(1012)).toBe(true);
    expect(shouldReconnect(4000)).toBe(true);
    expect(shouldReconnect(1006)).toBe(true);
    expect(closeCodeInfo(1006)).toBeUndefined();
    expect(closeCodeInfo(1012)?.name).toBe('SERVICE_RESTART');
  });
});
