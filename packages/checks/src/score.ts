/**
 * The score out of 100: 25 points per category, less 10 per error, 3 per warning and 1 per info
 * finding in it, never below 0. Simple on purpose, so a person can see why a number moved.
 */
import type { Category, Finding, Score, Severity } from './types.js';

export const CATEGORIES: readonly Category[] = ['inclusive', 'clarity', 'structure', 'pay'];
const PER_CATEGORY = 25;
const PENALTY: Record<Severity, number> = { error: 10, warning: 3, info: 1 };

export function scoreOf(findings: readonly Finding[]): Score {
  const parts = {
    inclusive: PER_CATEGORY,
    clarity: PER_CATEGORY,
    structure: PER_CATEGORY,
    pay: PER_CATEGORY,
  };
  for (const f of findings) parts[f.category] = Math.max(0, parts[f.category] - PENALTY[f.severity]);
  return { total: CATEGORIES.reduce((sum, c) => sum + parts[c], 0), parts };
}
