/**
 * Title and status of the open job description, editable in place (PATCH /api/documents/:id).
 * The title saves on Enter or when the field loses focus; Escape puts it back. A failed save puts
 * the old value back and says why. A title changed by someone else shows at once, except while this
 * user is editing the field: their typing is never overwritten.
 */
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import {
  DOCUMENT_STATUSES,
  type DocumentPatch,
  type DocumentStatus,
  type DocumentSummary,
  describeError,
} from '../api.js';
import { useSignedIn } from '../auth/session-context.js';
import { STATUS_LABELS } from '../ui/format.js';

export interface DocumentDetailsProps {
  document: DocumentSummary;
  canWrite: boolean;
  onChange(document: DocumentSummary): void;
  onError(message: string | null): void;
}

export function DocumentDetails({ document: doc, canWrite, onChange, onError }: DocumentDetailsProps) {
  const { api } = useSignedIn();
  const [title, setTitle] = useState(doc.title);
  const [saving, setSaving] = useState(false);
  const titleId = useId();
  const statusId = useId();
  /** The title when this user started editing the field; null while they are not editing it. */
  const editingFrom = useRef<string | null>(null);

  useEffect(() => {
    if (editingFrom.current === null) setTitle(doc.title);
  }, [doc.title]);

  const save = async (patch: DocumentPatch) => {
    setSaving(true);
    try {
      onChange(await api.updateDocument(doc.id, patch));
      onError(null);
    } catch (e) {
      setTitle(doc.title);
      onError(`Could not save: ${describeError(e)}`);
    } finally {
      setSaving(false);
    }
  };

  const commitTitle = () => {
    const startedFrom = editingFrom.current;
    editingFrom.current = null;
    const next = title.trim();
    // Untouched: keep whatever the title is now (it may have been renamed meanwhile by someone else).
    if (next === startedFrom || next === doc.title) {
      setTitle(doc.title);
      return;
    }
    if (next === '') {
      setTitle(doc.title);
      onError('The title cannot be empty.');
      return;
    }
    void save({ title: next });
  };

  const onTitleKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      event.currentTarget.blur();
    } else if (event.key === 'Escape') {
      setTitle(doc.title);
      requestAnimationFrame(() => (event.target as HTMLInputElement).blur());
    }
  };

  return (
    <div className="document-details" aria-busy={saving}>
      <label htmlFor={titleId} className="visually-hidden">
        Title
      </label>
      <input
        id={titleId}
        className="title-input"
        value={title}
        maxLength={200}
        readOnly={!canWrite}
        onChange={(e) => setTitle(e.target.value)}
        onFocus={() => {
          editingFrom.current = title;
        }}
        onBlur={commitTitle}
        onKeyDown={onTitleKey}
        title={canWrite ? 'Rename this job description' : undefined}
      />
      <label htmlFor={statusId} className="visually-hidden">
        Status
      </label>
      <select
        id={statusId}
        className={`status-select badge-${doc.status}`}
        value={doc.status}
        disabled={!canWrite || saving}
        onChange={(e) => void save({ status: e.target.value as DocumentStatus })}
      >
        {DOCUMENT_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </select>
    </div>
  );
}
