import { checkOp } from '@jd-collab/ot';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { opSchema } from '../src/op-schema.js';

describe('opSchema', () => {
  it('accepts retains, inserts (emoji included) and deletes', () => {
    for (const op of [[], [5, ' World'], [3, { d: 2 }], ['👍🏽'], [1, 'e\u0301', { d: 1 }, 4, 'x']]) {
      expect(opSchema.parse(op)).toEqual(op);
    }
  });

  it('refuses what checkOp refuses, with checkOp message', () => {
    const result = opSchema.safeParse([2, { d: -1 }]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('component 1');
  });

  it('refuses U+0000 in inserted or deleted text (no document store keeps it)', () => {
    for (const op of [['a\u0000b'], [1, { d: '\u0000' }]]) {
      const result = opSchema.safeParse(op);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/U\+0000/);
    }
  });

  it('agrees with checkOp on arbitrary component-like values', () => {
    const component = fc.oneof(
      fc.integer({ min: -3, max: 5 }),
      fc.double(),
      fc.string({ maxLength: 3 }),
      fc.record({ d: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.string()) }),
      fc.record({ d: fc.nat(3), i: fc.string() }),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.oneof(fc.array(component, { maxLength: 6 }), fc.anything()), (value) => {
        let valid = true;
        try {
          checkOp(value);
        } catch {
          valid = false;
        }
        expect(opSchema.safeParse(value).success).toBe(valid);
      }),
      { numRuns: 300 },
    );
  });
});
