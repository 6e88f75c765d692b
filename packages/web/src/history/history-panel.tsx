/**
 * Named versions: save the current text under a name ("Sent to hiring manager"), list what was
 * saved (by anyone; the list refreshes when the server announces a save), open one read-only.
 */
import type { CollabClient } from '@jd-collab/client';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { describeError, type NamedVersion } from '../api.js';
import { useSignedIn } from '../auth/session-context.js';
import { fullTime, relativeTime } from '../ui/format.js';

export interface HistoryPanelProps {
  documentId: string;
  client: CollabClient | null;
  canWrite: boolean;
  onOpen(version: NamedVersion): void;
  onClose(): void;
}

export function HistoryPanel({ documentId, client, canWrite, onOpen, onClose }: HistoryPanelProps) {
  const { api } = useSignedIn();
  const [versions, setVersions] = useState<NamedVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const nameId = useId();
  const headingId = useId();

  const load = useCallback(() => {
    api.listVersions(documentId).then(
      (list) => {
        setVersions([...list].sort((a, b) => b.createdAt - a.createdAt));
        setError(null);
      },
      (e: unknown) => setError(describeError(e)),
    );
  }, [api, documentId]);

  useEffect(() => {
    load();
    return client?.on('saved', load);
  }, [client, load]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (client === null || name.trim() === '') return;
    setSaving(true);
    setMessage(null);
    try {
      const saved = await client.save(name.trim());
      setName('');
      setMessage(`Saved “${saved.name}”.`);
    } catch (e) {
      setMessage(`Could not save the version: ${describeError(e)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <aside className="history-panel" aria-labelledby={headingId}>
      <div className="panel-header">
        <h2 id={headingId}>Version history</h2>
        <button
          type="button"
          className="button button-quiet"
          onClick={onClose}
          aria-label="Close version history"
        >
          ✕
        </button>
      </div>
      {canWrite && (
        <form className="save-version stack" onSubmit={save}>
          <label htmlFor={nameId}>Save the current text as a version</label>
          <div className="inline-form">
            <input
              id={nameId}
              value={name}
              maxLength={200}
              placeholder="e.g. Sent to hiring manager"
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" className="button button-primary" disabled={saving || name.trim() === ''}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
          {saving && <p className="hint">Waiting until all your edits have reached the server…</p>}
        </form>
      )}
      <p className="visually-hidden" role="status">
        {message}
      </p>
      {message !== null && <p className="hint">{message}</p>}
      {error !== null && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {versions !== null && versions.length === 0 && (
        <p className="muted">No saved versions yet. Save one before sending the text for review.</p>
      )}
      {versions !== null && versions.length > 0 && (
        <ol className="version-list">
          {versions.map((v) => (
            <li key={v.id}>
              <button type="button" className="version-item" onClick={() => onOpen(v)}>
                <span className="version-name">{v.name}</span>
                <span className="muted small">
                  {v.createdByName} ·{' '}
                  <time dateTime={new Date(v.createdAt).toISOString()} title={fullTime(v.createdAt)}>
                    {relativeTime(v.createdAt)}
                  </time>{' '}
                  · v{v.version}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
