/**
 * "New job description": a modal <dialog> (focus is trapped and Escape closes it, natively) asking
 * for the title and department; the server fills in the job-description template.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../api.js';
import { useSignedIn } from '../auth/session-context.js';
import { documentPath, navigate } from '../router.js';

export function NewDocumentDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { api } = useSignedIn();
  const dialog = useRef<HTMLDialogElement>(null);
  const [title, setTitle] = useState('');
  const [department, setDepartment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const departmentId = useId();
  const headingId = useId();

  useEffect(() => {
    const el = dialog.current;
    if (el === null) return;
    if (open && !el.open) {
      setError(null);
      el.showModal();
    } else if (!open && el.open) el.close();
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (title.trim() === '') {
      setError('Give the role a title.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await api.createDocument({ title: title.trim(), department: department.trim() });
      setTitle('');
      setDepartment('');
      onClose();
      navigate(documentPath(created.id));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby={headingId} onClose={onClose}>
      <form onSubmit={submit} className="stack">
        <h2 id={headingId}>New job description</h2>
        <p className="muted">
          It starts from the standard template: summary, team, responsibilities, qualifications, offer.
        </p>
        {error !== null && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
        <label htmlFor={titleId}>Role title</label>
        <input
          id={titleId}
          value={title}
          maxLength={200}
          required
          onChange={(e) => setTitle(e.target.value)}
          placeholder="e.g. Senior Data Analyst"
        />
        <label htmlFor={departmentId}>
          Department <span className="muted">(optional)</span>
        </label>
        <input
          id={departmentId}
          value={department}
          maxLength={100}
          onChange={(e) => setDepartment(e.target.value)}
          placeholder="e.g. Finance"
        />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
