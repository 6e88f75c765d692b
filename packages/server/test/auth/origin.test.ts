import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from '../../src/auth/origin.js';

describe('isOriginAllowed', () => {
  it('allows requests without Origin (not from a browser page)', () => {
    expect(isOriginAllowed([], { host: 'jd.example.com' })).toBe(true);
  });

  it('allows any origin with *', () => {
    expect(isOriginAllowed(['*'], { origin: 'https://evil.example', host: 'jd.example.com' })).toBe(true);
  });

  it('allows only the same origin with an empty list', () => {
    expect(isOriginAllowed([], { origin: 'https://jd.example.com', host: 'jd.example.com' })).toBe(true);
    expect(isOriginAllowed([], { origin: 'http://localhost:3000', host: 'localhost:3000' })).toBe(true);
    expect(isOriginAllowed([], { origin: 'https://evil.example', host: 'jd.example.com' })).toBe(false);
    expect(isOriginAllowed([], { origin: 'http://localhost:5173', host: 'localhost:3000' })).toBe(false);
  });

  it('allows exactly the listed origins', () => {
    const list = ['https://jd.example.com'];
    expect(isOriginAllowed(list, { origin: 'https://jd.example.com', host: 'api.internal' })).toBe(true);
    expect(isOriginAllowed(list, { origin: 'http://jd.example.com', host: 'api.internal' })).toBe(false);
    expect(isOriginAllowed(list, { origin: 'https://jd.example.com.evil.example', host: 'x' })).toBe(false);
  });

  it('refuses the opaque "null" origin', () => {
    expect(isOriginAllowed([], { origin: 'null', host: 'jd.example.com' })).toBe(false);
  });
});
