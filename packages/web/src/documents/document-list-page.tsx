/**
 * The job descriptions: search, filter by status, see who is editing what, create a new one, move
 * one to the trash (with Undo).
 */
import { useDeferredValue, useId, useState } from 'react';
import { type DocumentSummary, describeError } from '../api.js';
import { useSignedIn } from '../auth/session-context.js';
import { documentPath } from '../router.js';
import { AppHeader } from '../ui/app-header.js';
import { AvatarStack } from '../ui/avatar.js';
import { fullTime, plural, relativeTime, STATUS_LABELS } from '../ui/format.js';
import { Link } from '../ui/link.js';
import { StatusBadge } from '../ui/status-badge.js';
import { Toast, type ToastMessage } from '../ui/toast.js';
import { countByStatus, filterDocuments, type StatusFilter } from './filter.js';
import { NewDocumentDialog } from './new-document-dialog.js';
import { useDocuments } from './use-documents.js';

const FILTERS: readonly StatusFilter[] = ['all', 'draft', 'review', 'published'];

export function DocumentListPage() {
  const { documents, error, reload } = useDocuments();
  const { api } = useSignedIn();
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<StatusFilter>('all');
  const [creating, setCreating] = useState(false);
  const deferredQuery = useDeferredValue(query);
  const searchId = useId();

  // A document being deleted leaves the list at once; Undo (or a failure) brings it back.
  const listed = documents === null ? null : documents.filter((d) => !hidden.has(d.id));
  const counts = listed === null ? null : countByStatus(listed);
  const visible = listed === null ? [] : filterDocuments(listed, deferredQuery, status);
  const setShown = (id: string, shown: boolean) =>
    setHidden((current) => {
      const next = new Set(current);
      if (shown) next.delete(id);
      else next.add(id);
      return next;
    });

  const remove = (d: DocumentSummary) => {
    setShown(d.id, false);
    api.deleteDocument(d.id).then(
      () => {
        reload();
        setToast({
          id: Date.now(),
          text: `“${d.title}” was moved to the trash.`,
          action: {
            label: 'Undo',
            run: () =>
              void api.restoreDocument(d.id).then(
                () => {
                  setShown(d.id, true);
                  reload();
                },
                (e: unknown) =>
                  setToast({ id: Date.now(), text: `Could not restore it: ${describeError(e)}` }),
              ),
          },
        });
      },
      (e: unknown) => {
        setShown(d.id, true);
        setToast({ id: Date.now(), text: `Could not delete “${d.title}”: ${describeError(e)}` });
      },
    );
  };

  return (
    <>
      <AppHeader />
      <main className="page documents-page">
        <div className="page-heading">
          <div>
            <h1>Job descriptions</h1>
            <p className="muted">Write, review and publish roles with your hiring team.</p>
          </div>
          <div className="page-actions">
            <Link href="/trash" className="button">
              Trash
            </Link>
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              <span aria-hidden="true">+</span> New job description
            </button>
          </div>
        </div>

        <search className="list-toolbar">
          <div className="search-field">
            <label htmlFor={searchId} className="visually-hidden">
              Search job descriptions
            </label>
            <input
              id={searchId}
              type="search"
              placeholder="Search by title, department or editor"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
          </div>
          <fieldset className="segmented">
            <legend className="visually-hidden">Status</legend>
            {FILTERS.map((f) => (
              <label key={f} className={status === f ? 'segment selected' : 'segment'}>
                <input
                  type="radio"
                  name="status-filter"
                  value={f}
                  checked={status === f}
                  onChange={() => setStatus(f)}
                />
                {f === 'all' ? 'All' : STATUS_LABELS[f]}
                {counts !== null && <span className="count">{counts[f]}</span>}
              </label>
            ))}
          </fieldset>
        </search>

        {error !== null && (
          <div className="notice notice-error" role="alert">
            Could not load the job descriptions: {error}{' '}
            <button type="button" className="button button-small" onClick={reload}>
              Try again
            </button>
          </div>
        )}

        {documents === null && error === null && (
          <p className="muted" aria-busy="true">
            Loading job descriptions…
          </p>
        )}

        {documents !== null && (
          <>
            <p className="visually-hidden" role="status">
              {plural(visible.length, 'job description')} shown
            </p>
            {visible.length === 0 ? (
              <div className="empty-state">
                {documents.length === 0 ? (
                  <p>No job descriptions yet. Create the first one.</p>
                ) : (
                  <p>No job description matches your search.</p>
                )}
              </div>
            ) : (
              <ul className="document-list">
                {visible.map((d) => (
                  <DocumentRow key={d.id} document={d} onDelete={remove} />
                ))}
              </ul>
            )}
          </>
        )}
      </main>
      <NewDocumentDialog open={creating} onClose={() => setCreating(false)} />
      <Toast toast={toast} onDismiss={() => setToast(null)} />
    </>
  );
}

function DocumentRow({
  document: d,
  onDelete,
}: {
  document: DocumentSummary;
  onDelete: (d: DocumentSummary) => void;
}) {
  return (
    <li className="document-row">
      <div className="document-main">
        <h2 className="document-title">
          <Link href={documentPath(d.id)} className="stretched-link">
            {d.title}
          </Link>
        </h2>
        <p className="document-meta">
          {d.department !== '' && <span className="department">{d.department}</span>}
          <span>
            Edited {d.updatedByName !== null ? `by ${d.updatedByName} ` : ''}
            <time dateTime={new Date(d.updatedAt).toISOString()} title={fullTime(d.updatedAt)}>
              {relativeTime(d.updatedAt)}
            </time>
          </span>
          {!d.canWrite && <span className="read-only-tag">Read only</span>}
        </p>
      </div>
      <div className="document-side">
        {d.users.length > 0 && (
          <div className="in-document">
            <AvatarStack
              size="small"
              max={3}
              label={`${plural(d.users.length, 'person', 'people')} in this document now`}
              people={d.users.map((u) => ({ key: u.userId, name: u.name, color: u.color, status: u.status }))}
            />
            <span className="muted small">
              {d.users.length === 1 ? 'editing now' : `${d.users.length} editing now`}
            </span>
          </div>
        )}
        <StatusBadge status={d.status} />
        {d.canDelete && (
          <button
            type="button"
            className="button button-small row-action"
            aria-label={`Delete ${d.title}`}
            onClick={() => onDelete(d)}
          >
            Delete
          </button>
        )}
      </div>
    </li>
  );
}
