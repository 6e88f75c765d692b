import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/collab/rate-limiter.js';

function limiter(perSecond: number, perMinute: number) {
  let now = 1_000_000;
  const rl = new RateLimiter({ perSecond, perMinute }, () => now);
  return { rl, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('allows perSecond frames in any second, then tells how long to wait', () => {
    const { rl, advance } = limiter(3, 100);
    expect(rl.check()).toEqual({ allowed: true });
    advance(100);
    expect(rl.check().allowed).toBe(true);
    advance(100);
    expect(rl.check().allowed).toBe(true);
    advance(100);
    // The first frame (300 ms ago) leaves the window in 700 ms.
    expect(rl.check()).toEqual({ allowed: false, retryAfter: 700, abusive: false });
    advance(700);
    expect(rl.check().allowed).toBe(true);
  });

  it('enforces the per-minute limit with a sliding window', () => {
    const { rl, advance } = limiter(100, 5);
    for (let i = 0; i < 5; i++) {
      expect(rl.check().allowed).toBe(true);
      advance(1000);
    }
    const refused = rl.check();
    expect(refused).toMatchObject({ allowed: false, retryAfter: 55_000 });
    advance(55_000);
    expect(rl.check().allowed).toBe(true);
  });

  it('flags a peer that keeps sending while refused as abusive', () => {
    const { rl } = limiter(2, 100);
    const decisions = Array.from({ length: 8 }, () => rl.check());
    expect(decisions.filter((d) => d.allowed)).toHaveLength(2);
    // Attempts 3..6 are refused politely; the 7th attempt in one second exceeds 3 x 2.
    expect(decisions.slice(2, 6).every((d) => !d.allowed && !d.abusive)).toBe(true);
    expect(decisions[6]).toMatchObject({ allowed: false, abusive: true });
  });

  it('forgets old traffic', () => {
    const { rl, advance } = limiter(2, 4);
    for (let i = 0; i < 4; i++) {
      rl.check();
      advance(500);
    }
    advance(60_000);
    expect(rl.check().allowed).toBe(true);
    expect(rl.check().allowed).toBe(true);
  });
});
