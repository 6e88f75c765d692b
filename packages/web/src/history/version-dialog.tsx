/**
 * One saved version, read-only: what changed between it and the current text, or its full text.
 * A modal dialog, so it never competes with live editing for the same screen space.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { describeError, type NamedVersion } from '../api.js';
import { useSignedIn } from '../auth/session-context.js';
import { MarkdownPreview } from '../editor/markdown-preview.js';
import { fullTime } from '../ui/format.js';
import { DiffView } from './diff-view.js';

export interface VersionDialogProps {
  documentId: string;
  version: NamedVersion;
  currentText: string;
  onClose(): void;
}

type Tab = 'changes' | 'text';

export function VersionDialog({ documentId, version, currentText, onClose }: VersionDialogProps) {
  const { api } = useSignedIn();
  const dialog = useRef<HTMLDialogElement>(null);
  const [content, setContent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('changes');
  const headingId = useId();

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  useEffect(() => {
    let cancelled = false;
    api.getContent(documentId, version.version).then(
      (r) => !cancelled && setContent(r.content),
      (e: unknown) => !cancelled && setError(describeError(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, version.version]);

  return (
    <dialog ref={dialog} className="dialog dialog-wide" aria-labelledby={headingId} onClose={onClose}>
      <div className="dialog-header">
        <div>
          <h2 id={headingId}>{version.name}</h2>
          <p className="muted small">
            Version {version.version} · saved by {version.createdByName} on {fullTime(version.createdAt)} ·
            read only
          </p>
        </div>
        <button type="button" className="button button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="tabs" role="tablist" aria-label="Show">
        <TabButton id="changes" current={tab} onSelect={setTab}>
          Changes since this version
        </TabButton>
        <TabButton id="text" current={tab} onSelect={setTab}>
          Text of this version
        </TabButton>
      </div>
      <div className="dialog-body" role="tabpanel" aria-label={tab === 'changes' ? 'Changes' : 'Text'}>
        {error !== null && (
          <p className="notice notice-error" role="alert">
            Could not load this version: {error}
          </p>
        )}
        {content === null && error === null && <p className="muted">Loading…</p>}
        {content !== null &&
          (tab === 'changes' ? (
            <DiffView before={content} after={currentText} />
          ) : (
            <MarkdownPreview text={content} />
          ))}
      </div>
    </dialog>
  );
}

function TabButton({
  id,
  current,
  onSelect,
  children,
}: {
  id: Tab;
  current: Tab;
  onSelect(tab: Tab): void;
  children: string;
}) {
  return (
    <button
      type="button"
      role="tab"
      aria-selected={current === id}
      className={current === id ? 'tab selected' : 'tab'}
      onClick={() => onSelect(id)}
    >
      {children}
    </button>
  );
}
