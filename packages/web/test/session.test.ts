import { describe, expect, it } from 'vitest';
import { clearSession, loadSession, saveSession, tokenFromFragment } from '../src/auth/session.js';

/** A Storage with the Web Storage semantics the session code relies on (Node has no localStorage). */
class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, String(value));
  }
}

const user = { id: 'u-ana', name: 'Ana', color: '#7E306A' };

describe('session', () => {
  it('survives a reload until the token expires', () => {
    const storage = new MemoryStorage();
    saveSession(storage, { token: 't', user, expiresAt: 2_000 });
    expect(loadSession(storage, 1_000)).toEqual({ token: 't', user, expiresAt: 2_000 });
    expect(loadSession(storage, 2_000)).toBeNull();
    clearSession(storage);
    expect(loadSession(storage, 1_000)).toBeNull();
  });

  it('ignores damaged stored data instead of crashing', () => {
    const storage = new MemoryStorage();
    storage.setItem('jd-collab.session', '{not json');
    expect(loadSession(storage)).toBeNull();
    storage.setItem('jd-collab.session', JSON.stringify({ token: 42 }));
    expect(loadSession(storage)).toBeNull();
  });

  it('reads a token handed over in the URL fragment', () => {
    expect(tokenFromFragment('#token=abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFromFragment('#access_token=xyz&token_type=Bearer')).toBe('xyz');
    expect(tokenFromFragment('#section-2')).toBeNull();
    expect(tokenFromFragment('')).toBeNull();
    expect(tokenFromFragment('#token=')).toBeNull();
  });
});
