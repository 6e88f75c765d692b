/** Rule configuration: enable/disable, severity override, thresholds, with their defaults. */
import type { Severity } from './types.js';

/** `'off'` (or `false`) disables a rule; a severity overrides the rule's own. */
export type RuleSetting = 'off' | false | Severity | { enabled?: boolean; severity?: Severity };

export interface Thresholds {
  /** More must-have requirements than this is a finding (default 8). */
  maxMustHaves: number;
  /** Prose word range (default 300-700). */
  minWords: number;
  maxWords: number;
  /** Flesch-Kincaid grade above this is a finding (default 12). */
  targetGrade: number;
  /** A pay range whose max exceeds min by more than this factor is "very wide" (default 2). */
  wideRangeRatio: number;
}

export interface CheckOptions {
  /** Per rule id; rules not named keep their defaults. */
  rules?: Record<string, RuleSetting>;
  thresholds?: Partial<Thresholds>;
  /** The job title when it is not the document's first `#` heading (used by the EU title rule). */
  title?: string;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  maxMustHaves: 8,
  minWords: 300,
  maxWords: 700,
  targetGrade: 12,
  wideRangeRatio: 2,
};

export interface ResolvedOptions {
  thresholds: Thresholds;
  title: string | undefined;
  /** The severity a rule reports with after configuration, or null when it is disabled. */
  severityOf(rule: string, own: Severity): Severity | null;
}

export function resolveOptions(options: CheckOptions = {}): ResolvedOptions {
  const rules = options.rules ?? {};
  return {
    thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds },
    title: options.title,
    severityOf(rule, own) {
      const setting = Object.hasOwn(rules, rule) ? rules[rule] : undefined;
      if (setting === undefined) return own;
      if (setting === 'off' || setting === false) return null;
      if (typeof setting === 'string') return setting;
      if (setting.enabled === false) return null;
      return setting.severity ?? own;
    },
  };
}
