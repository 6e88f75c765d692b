import { describe, expect, it } from 'vitest';
import { ReconnectionPolicy } from '../src/reconnection.js';

describe('ReconnectionPolicy', () => {
  it('doubles the delay up to the cap and gives up after maxAttempts', () => {
    const policy = new ReconnectionPolicy({
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      maxAttempts: 10,
      jitter: false,
    });
    const delays: number[] = [];
    while (!policy.exhausted) delays.push(policy.fail());
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000]);
    policy.succeed();
    expect(policy.exhausted).toBe(false);
    expect(policy.fail()).toBe(1000);
  });

  it('jitters between half and all of the delay', () => {
    expect(new ReconnectionPolicy({ jitter: true }, () => 0).delayFor(2)).toBe(2000);
    expect(new ReconnectionPolicy({ jitter: true }, () => 0.999999).delayFor(2)).toBe(4000);
  });
});
