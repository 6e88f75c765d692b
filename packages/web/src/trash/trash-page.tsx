/**
 * The Trash: deleted job descriptions this person may restore (administrators: all of them; others:
 * those they created), who deleted each and when. Restore brings one back exactly as it was;
 * administrators can also delete one for good. What nobody restores is purged by the server after
 * its retention period (TRASH_RETENTION_DAYS, 30 days by default).
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, describeError, type TrashedDocument } from '../api.js';
import { useSignedIn } from '../auth/session-context.js';
import { documentPath } from '../router.js';
import { AppHeader } from '../ui/app-header.js';
import { fullTime, relativeTime } from '../ui/format.js';
import { Link } from '../ui/link.js';

export function TrashPage() {
  const { api } = useSignedIn();
  const [documents, setDocuments] = useState<TrashedDocument[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; id?: string } | null>(null);

  const reload = useCallback(() => {
    api.listTrash().then(
      (list) => {
        setDocuments(list);
        setError(null);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.isAuthError) return;
        setError(describeError(e));
      },
    );
  }, [api]);
  useEffect(reload, [reload]);

  const restore = (d: TrashedDocument) => {
    api.restoreDocument(d.id).then(
      () => {
        setNotice({ text: `“${d.title}” was restored.`, id: d.id });
        reload();
      },
      (e: unknown) => setError(describeError(e)),
    );
  };
  const purge = (d: TrashedDocument) => {
    if (!window.confirm(`Delete “${d.title}” for good? Its history and versions go with it.`)) return;
    api.purgeDocument(d.id).then(
      () => {
        setNotice({ text: `“${d.title}” was deleted for good.` });
        reload();
      },
      (e: unknown) => setError(describeError(e)),
    );
  };

  return (
    <>
      <AppHeader />
      <main className="page documents-page">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link href="/">Job descriptions</Link>
          <span aria-hidden="true">/</span>
        </nav>
        <div className="page-heading">
          <div>
            <h1>Trash</h1>
            <p className="muted">
              Deleted job descriptions stay here for 30 days, then they are deleted for good. Restoring brings
              one back with its history and versions.
            </p>
          </div>
        </div>
        {notice !== null && (
          <p className="notice notice-info slim" role="status">
            {notice.text} {notice.id !== undefined && <Link href={documentPath(notice.id)}>Open it</Link>}
          </p>
        )}
        {error !== null && (
          <p className="notice notice-error slim" role="alert">
            {error}
          </p>
        )}
        {documents === null && error === null && <p className="muted">Loading the trash…</p>}
        {documents !== null && documents.length === 0 && (
          <div className="empty-state">
            <p>The trash is empty.</p>
          </div>
        )}
        {documents !== null && documents.length > 0 && (
          <ul className="document-list">
            {documents.map((d) => (
              <li key={d.id} className="document-row trash-row">
                <div className="document-main">
                  <h2 className="document-title">{d.title}</h2>
                  <p className="document-meta">
                    {d.department !== '' && <span className="department">{d.department}</span>}
                    <span>
                      Deleted by {d.deletedByName}{' '}
                      <time dateTime={new Date(d.deletedAt).toISOString()} title={fullTime(d.deletedAt)}>
                        {relativeTime(d.deletedAt)}
                      </time>
                    </span>
                  </p>
                </div>
                <div className="document-side">
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Restore ${d.title}`}
                    onClick={() => restore(d)}
                  >
                    Restore
                  </button>
                  {d.canPurge && (
                    <button
                      type="button"
                      className="button button-small button-danger"
                      aria-label={`Delete ${d.title} for good`}
                      onClick={() => purge(d)}
                    >
                      Delete for good
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
