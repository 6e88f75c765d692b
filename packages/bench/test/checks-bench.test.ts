import { describe, expect, it } from 'vitest';
import { syntheticJobDescription } from '../src/checks/synthetic-jd.js';
import { runChecksBench } from '../src/index.js';

describe('check-engine benchmark harness (smoke)', () => {
  it('builds a job description of about the asked length', () => {
    const words = syntheticJobDescription(1000).split(/\s+/).length;
    expect(words).toBeGreaterThan(950);
    expect(words).toBeLessThan(1200);
  });

  it('prints its table', () => {
    let out = '';
    const { rows } = runChecksBench({ smoke: true, log: (t) => (out += t) });
    expect(out).toMatch(/Check engine/);
    expect(rows[0]!.findings).toBeGreaterThan(0);
  });
});
