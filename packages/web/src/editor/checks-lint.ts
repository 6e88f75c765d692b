/**
 * The writing checks in the editor: each finding underlined (@codemirror/lint), with a hover card
 * giving its message and one-click suggestions. A suggestion is applied as an ordinary edit, so it
 * travels to everyone like typing does; underlines follow concurrent edits because the lint state
 * maps its ranges through every change. The checks run debounced in a worker (checks-runner.ts).
 */
import { type Diagnostic, linter } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';
import type { CheckReport, Finding, Posting } from '@jd-collab/checks';
import { codePointToUtf16 } from '@jd-collab/ot';
import type { ChecksRunner } from '../checks/checks-runner.js';

/** How long typing pauses before the text is checked again, ms. */
const CHECK_DELAY_MS = 400;

export interface ChecksLintOptions {
  runner: ChecksRunner;
  /** The document's posting fields as they are now. */
  posting: () => Posting | null;
  /** Every new report (the checks panel shows its score). */
  onReport: (report: CheckReport) => void;
}

export function checksLint({ runner, posting, onReport }: ChecksLintOptions): Extension {
  return linter(
    async (view: EditorView): Promise<Diagnostic[]> => {
      const text = view.state.doc.toString();
      const report = await runner.check(text, posting());
      onReport(report);
      // The text may have changed while the worker ran: the linter maps these through it.
      return report.findings.map((finding) => diagnostic(text, finding));
    },
    { delay: CHECK_DELAY_MS },
  );
}

function diagnostic(text: string, finding: Finding): Diagnostic {
  const from = codePointToUtf16(text, finding.from);
  const to = Math.max(from, codePointToUtf16(text, finding.to));
  return {
    from,
    to,
    severity: finding.severity,
    source: finding.category,
    message: finding.message,
    actions: finding.suggestions.map((suggestion) => ({
      name: suggestion,
      apply(view: EditorView, start: number, end: number) {
        view.dispatch({ changes: { from: start, to: end, insert: suggestion }, userEvent: 'input.complete' });
      },
    })),
  };
}
