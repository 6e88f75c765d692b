/**
 * Turns the messages of the retext packages we use into findings: retext-equality
 * (`insensitive-language`), retext-simplify (`simpler-wording`), retext-passive (`passive-voice`).
 * Their own rule id stays in the message, so one of their rules can be discussed by name.
 */
import type { VFile } from 'vfile';
import type { RawFinding } from '../context.js';
import type { Category, Severity } from '../types.js';

const BY_SOURCE: Record<string, { rule: string; category: Category; severity: Severity; lead: string }> = {
  'retext-equality': {
    rule: 'insensitive-language',
    category: 'inclusive',
    severity: 'warning',
    lead: 'may exclude or offend',
  },
  'retext-simplify': {
    rule: 'simpler-wording',
    category: 'clarity',
    severity: 'info',
    lead: 'a simpler word reads better',
  },
  'retext-passive': {
    rule: 'passive-voice',
    category: 'clarity',
    severity: 'info',
    lead: 'passive voice hides who does what',
  },
};

type VFileMessage = VFile['messages'][number];

export function findingFromMessage(message: VFileMessage, text: string): RawFinding | null {
  const kind = message.source ? BY_SOURCE[message.source] : undefined;
  const from = message.place && 'start' in message.place ? message.place.start.offset : undefined;
  const to = message.place && 'end' in message.place ? message.place.end.offset : undefined;
  if (!kind || from === undefined || to === undefined) return null;
  const written = text.slice(from, to);
  const suggestions = (message.expected ?? []).filter((s): s is string => typeof s === 'string');
  return {
    rule: kind.rule,
    category: kind.category,
    severity: kind.severity,
    from,
    to,
    message: `"${written}": ${kind.lead}${suggestions.length ? `; consider ${suggestions.map((s) => `"${s}"`).join(', ')}` : ''} (${message.source}: ${message.ruleId}).`,
    suggestions,
  };
}
