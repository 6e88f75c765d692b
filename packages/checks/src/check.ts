/** `checkJobDescription`: the one entry point, pure and synchronous. */
import { VFile } from 'vfile';
import { utf16ToCodePoints } from './code-points.js';
import type { CheckContext } from './context.js';
import { type CheckOptions, resolveOptions } from './options.js';
import type { Posting } from './posting.js';
import { checkProcessor } from './processor.js';
import { findingFromMessage } from './rules/package-messages.js';
import { scoreOf } from './score.js';
import type { CheckReport, Finding } from './types.js';

function compareFindings(a: Finding, b: Finding): number {
  return (
    a.from - b.from ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    a.to - b.to ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export function checkJobDescription(
  markdown: string,
  posting: Posting | null,
  options: CheckOptions = {},
): CheckReport {
  const resolved = resolveOptions(options);
  const context: CheckContext = { text: markdown, posting, options: resolved, findings: [] };
  const file = new VFile({ value: markdown, data: { jdChecks: context } });
  checkProcessor.runSync(checkProcessor.parse(file), file);

  const raw = [...context.findings];
  // Our own inclusive rules say more than retext-equality about the same words ("able-bodied").
  const ours = new Set(raw.filter((f) => f.category === 'inclusive').map((f) => `${f.from}:${f.to}`));
  for (const message of file.messages) {
    const finding = findingFromMessage(message, markdown);
    if (finding && !ours.has(`${finding.from}:${finding.to}`)) raw.push(finding);
  }
  const toCodePoints = utf16ToCodePoints(markdown);
  const findings: Finding[] = [];
  for (const finding of raw) {
    const severity = resolved.severityOf(finding.rule, finding.severity);
    if (severity === null) continue;
    findings.push({ ...finding, severity, from: toCodePoints(finding.from), to: toCodePoints(finding.to) });
  }
  findings.sort(compareFindings);
  return {
    score: scoreOf(findings),
    genderTone: context.genderTone ?? { masculine: [], feminine: [], verdict: 'neutral' },
    readability: context.readability ?? { grade: 0, words: 0 },
    findings,
  };
}
