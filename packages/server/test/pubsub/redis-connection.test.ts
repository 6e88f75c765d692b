import { describe, expect, it } from 'vitest';
import { createRedisConnection, reconnectDelay } from '../../src/pubsub/redis-connection.js';

describe('reconnectDelay', () => {
  it('grows exponentially from 50 ms and stays under the cap, whatever the attempt', () => {
    const noJitter = () => 1;
    expect([1, 2, 3, 4, 5].map((n) => reconnectDelay(n, 2_000, noJitter))).toEqual([50, 100, 200, 400, 800]);
    expect(reconnectDelay(6, 2_000, noJitter)).toBe(1_600);
    expect(reconnectDelay(7, 2_000, noJitter)).toBe(2_000);
    expect(reconnectDelay(1_000_000, 2_000, noJitter)).toBe(2_000);
  });

  it('spreads nodes out with jitter between half the delay and the full delay', () => {
    expect(reconnectDelay(7, 2_000, () => 0)).toBe(1_000);
    for (let i = 0; i < 100; i++) {
      const delay = reconnectDelay(10, 2_000);
      expect(delay).toBeGreaterThanOrEqual(1_000);
      expect(delay).toBeLessThanOrEqual(2_000);
    }
  });
});

describe('createRedisConnection', () => {
  it('refuses a connection name CLIENT SETNAME would reject', () => {
    expect(() =>
      createRedisConnection({ url: 'redis://127.0.0.1:1', connectionName: 'has space' }, 'pub'),
    ).toThrow(/without spaces/);
  });
});
