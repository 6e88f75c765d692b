/**
 * The writing checks at a glance, above the preview: a score out of 100 and its four parts, the
 * gender-tone meter (Gaucher, Friesen & Kay 2011), the reading grade, and how many findings of
 * each severity are underlined in the text. Everyone sees the same, since everyone checks the same
 * text with the same engine.
 */
import type { CheckReport } from '@jd-collab/checks';

const PARTS = [
  ['inclusive', 'Inclusive'],
  ['clarity', 'Clarity'],
  ['structure', 'Structure'],
  ['pay', 'Pay'],
] as const;

export function ChecksPanel({ report }: { report: CheckReport | null }) {
  if (report === null) {
    return (
      <section className="checks-panel" aria-label="Writing checks" aria-busy="true">
        <p className="muted">Checking…</p>
      </section>
    );
  }
  const count = (severity: string) => report.findings.filter((f) => f.severity === severity).length;
  const errors = count('error');
  return (
    <section className="checks-panel" aria-label="Writing checks" data-testid="checks-panel">
      <div className="checks-score">
        <span className="checks-total" data-testid="checks-score">
          {report.score.total}
        </span>
        <span className="muted">/ 100</span>
      </div>
      <ul className="checks-parts">
        {PARTS.map(([key, label]) => (
          <li key={key}>
            {label} <strong>{report.score.parts[key]}</strong>/25
          </li>
        ))}
      </ul>
      <p className="checks-line">
        Tone: <strong>{report.genderTone.verdict}</strong> · Grade {report.readability.grade} ·{' '}
        {report.readability.words} words
      </p>
      <p className={errors > 0 ? 'checks-line checks-errors' : 'checks-line'}>
        {errors > 0 ? `${errors} to fix before publishing · ` : 'Ready to publish · '}
        {count('warning')} warnings · {count('info')} notes
      </p>
    </section>
  );
}
