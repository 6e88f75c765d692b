/**
 * One job description, live: the collaborative editor and its preview side by side (tabs on narrow
 * screens), who is here, whether edits are reaching the server, title and status, and the version
 * history. The document's metadata comes from the REST API; the text from the WebSocket client.
 */

import type { CheckReport, Posting } from '@jd-collab/checks';
import type { CollabClient } from '@jd-collab/client';
import { useClientState, useCollabClient, useCollaborativeEditor } from '@jd-collab/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { ApiError, type DocumentSummary, describeError, type NamedVersion } from '../api.js';
import { useSignedIn } from '../auth/session-context.js';
import { createChecksRunner } from '../checks/checks-runner.js';
import { HistoryPanel } from '../history/history-panel.js';
import { VersionDialog } from '../history/version-dialog.js';
import { AppHeader } from '../ui/app-header.js';
import { Link } from '../ui/link.js';
import type { ChecksLintOptions } from './checks-lint.js';
import { ChecksPanel } from './checks-panel.js';
import { CollabEditor } from './collab-editor.js';
import { ConnectionBanner, ConnectionPill, describeConnection, useOnline } from './connection-status.js';
import { DeletedDocument } from './deleted-document.js';
import { DocumentDetails } from './document-details.js';
import { MarkdownPreview } from './markdown-preview.js';
import { MergedNotice } from './merged-notice.js';
import { pendingStore } from './pending-store.js';
import { PresenceBar } from './presence-bar.js';
import { useActivity } from './use-activity.js';
import { useUnsavedWarning } from './use-unsaved-warning.js';

type Pane = 'write' | 'preview';

/** API failures that say nothing about the document, only that the server cannot be reached. */
const UNREACHABLE = new Set(['NETWORK_ERROR', 'TIMEOUT']);

/** Unsent edits are kept per person and document in IndexedDB, when the browser has it. */
function persistenceFor(userId: string) {
  const store = pendingStore();
  return store === null ? {} : { persistence: { store, userId } };
}

function webSocketBase(): string {
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}`;
}

export function EditorPage({ documentId }: { documentId: string }) {
  const { api, session } = useSignedIn();
  const [meta, setMeta] = useState<DocumentSummary | null>(null);
  // The writing checks: one worker per page; the editor asks, the panel shows the latest report.
  const [checkReport, setCheckReport] = useState<CheckReport | null>(null);
  const postingRef = useRef<Posting | null>(null);
  postingRef.current = meta !== null && Object.keys(meta.posting).length > 0 ? meta.posting : null;
  const [checks] = useState<ChecksLintOptions>(() => ({
    runner: createChecksRunner(),
    posting: () => postingRef.current,
    onReport: setCheckReport,
  }));
  useEffect(() => () => checks.runner.dispose(), [checks]);
  const [loadError, setLoadError] = useState<ApiError | Error | null>(null);
  const [detailsError, setDetailsError] = useState<string | null>(null);
  const [editRefused, setEditRefused] = useState<string | null>(null);
  const [pane, setPane] = useState<Pane>('write');
  const [historyOpen, setHistoryOpen] = useState(false);
  const [openVersion, setOpenVersion] = useState<NamedVersion | null>(null);
  const readOnlyNoteId = useId();
  const online = useOnline();

  // Fetched again when the network comes back: offline, the editor opens without it.
  // Fetched once, or again when the network comes back without them: a later answer (a 404 for
  // a document deleted meanwhile) must not replace the deleted screen the client shows.
  const haveMeta = meta !== null;
  useEffect(() => {
    if (!online || haveMeta) return;
    let cancelled = false;
    api.getDocument(documentId).then(
      (d) => {
        if (cancelled) return;
        setMeta(d);
        setLoadError(null);
      },
      (e: unknown) => !cancelled && setLoadError(e instanceof Error ? e : new Error(describeError(e))),
    );
    return () => {
      cancelled = true;
    };
  }, [api, documentId, online, haveMeta]);

  // Without a network the document's details cannot be loaded, but the editor can still open
  // (its unsent edits come from IndexedDB) and the client connects once the network is back.
  const unreachable = loadError instanceof ApiError && UNREACHABLE.has(loadError.code);
  const client = useCollabClient(loadError === null || unreachable ? documentId : null, {
    url: webSocketBase(),
    getToken: () => session.token,
    ...persistenceFor(session.user.id),
  });
  const { text, ready } = useCollaborativeEditor(client);
  const state = useClientState(client);
  useActivity(client);
  useRetryWhenOnline(client, state.status);
  useUnsavedWarning(client, pendingStore() !== null);

  // Someone changed the title, department, status or posting fields (here, in another tab or node).
  useEffect(() => {
    if (client === null) return;
    return client.on('updated', (u) =>
      setMeta((m) =>
        m === null || m.id !== u.documentId
          ? m
          : {
              ...m,
              title: u.title,
              department: u.department,
              status: u.status,
              // All the posting fields as they now are (the writing checks read them).
              posting: u.posting ?? m.posting,
              updatedAt: u.updatedAt,
              updatedBy: u.updatedBy,
              updatedByName: u.updatedByName,
            },
      ),
    );
  }, [client]);

  // An edit the server will never take (the client took it back): say so until the next edit.
  useEffect(() => {
    if (client === null) return;
    const offError = client.on('error', (error) => {
      if (error.code === 'DOCUMENT_TOO_LARGE') {
        setEditRefused(
          'That edit would make this job description too long, so it was not kept. Try a shorter paste.',
        );
      }
    });
    const offChange = client.on('change', (event) => {
      if (event.origin === 'local') setEditRefused(null);
    });
    return () => {
      offError();
      offChange();
    };
  }, [client]);

  useEffect(() => {
    document.title = meta === null ? 'JD Collab' : `${meta.title} · JD Collab`;
  }, [meta]);

  if (loadError !== null && !unreachable) return <LoadFailure error={loadError} />;
  if (state.deleted !== null) {
    return (
      <>
        <AppHeader />
        <DeletedDocument
          deleted={state.deleted}
          title={meta?.title ?? documentId}
          text={client?.text ?? text}
        />
      </>
    );
  }

  const canWrite = ready ? state.canWrite : (meta?.canWrite ?? false);
  const connection = describeConnection(state, ready, online);

  return (
    <div className="editor-layout">
      <AppHeader>
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link href="/">Job descriptions</Link>
          <span aria-hidden="true">/</span>
        </nav>
        {meta !== null && (
          <DocumentDetails document={meta} canWrite={canWrite} onChange={setMeta} onError={setDetailsError} />
        )}
      </AppHeader>

      <div className="editor-toolbar">
        <PresenceBar client={client} />
        <div className="toolbar-end">
          <ConnectionPill view={connection} />
          <button
            type="button"
            className={historyOpen ? 'button button-small selected' : 'button button-small'}
            aria-expanded={historyOpen}
            onClick={() => setHistoryOpen((open) => !open)}
          >
            History
          </button>
        </div>
      </div>

      <ConnectionBanner view={connection} status={state.status} client={client} />
      <MergedNotice client={client} />
      {detailsError !== null && (
        <p className="notice notice-error slim" role="alert">
          {detailsError}
        </p>
      )}
      {editRefused !== null && (
        <p className="notice notice-error slim" role="alert">
          {editRefused}
        </p>
      )}
      {ready && !canWrite && (
        <p className="notice notice-info slim" id={readOnlyNoteId}>
          <strong>Read only.</strong> You can follow this job description live, but your access does not
          include editing. Ask the document's owner or an HR administrator for edit access.
        </p>
      )}

      <div className="pane-tabs" role="tablist" aria-label="View">
        <button
          type="button"
          role="tab"
          aria-selected={pane === 'write'}
          className={pane === 'write' ? 'tab selected' : 'tab'}
          onClick={() => setPane('write')}
        >
          Write
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={pane === 'preview'}
          className={pane === 'preview' ? 'tab selected' : 'tab'}
          onClick={() => setPane('preview')}
        >
          Preview
        </button>
      </div>

      <div className={`workspace show-${pane}${historyOpen ? ' with-history' : ''}`}>
        <section className="pane pane-write" aria-label="Editor">
          {client !== null && ready ? (
            <CollabEditor
              client={client}
              readOnly={!canWrite}
              label="Job description (Markdown)"
              describedBy={readOnlyNoteId}
              checks={checks}
            />
          ) : (
            <p className="muted pane-loading" aria-busy="true">
              {state.status === 'offline' ? 'This document could not be opened.' : 'Opening the document…'}
            </p>
          )}
        </section>
        <section className="pane pane-preview" aria-label="Preview as candidates will see it">
          <ChecksPanel report={checkReport} />
          <div className="pane-label" aria-hidden="true">
            Preview
          </div>
          <MarkdownPreview text={text} />
        </section>
        {historyOpen && (
          <HistoryPanel
            documentId={documentId}
            client={client}
            canWrite={canWrite}
            onOpen={setOpenVersion}
            onClose={() => setHistoryOpen(false)}
          />
        )}
      </div>

      {openVersion !== null && (
        <VersionDialog
          documentId={documentId}
          version={openVersion}
          currentText={text}
          onClose={() => setOpenVersion(null)}
        />
      )}
    </div>
  );
}

/** When the browser says the network is back, do not wait for the next backoff step. */
function useRetryWhenOnline(client: CollabClient | null, status: string): void {
  useEffect(() => {
    if (client === null) return;
    const online = () => {
      if (status === 'offline') client.retry();
    };
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [client, status]);
}

function LoadFailure({ error }: { error: Error }) {
  const code = error instanceof ApiError ? error.code : '';
  const title =
    code === 'DOCUMENT_NOT_FOUND'
      ? 'This job description does not exist'
      : code === 'FORBIDDEN'
        ? 'You do not have access to this job description'
        : 'This job description could not be opened';
  return (
    <>
      <AppHeader />
      <main className="center-page">
        <h1>{title}</h1>
        <p className="muted">{error.message}</p>
        <p>
          <Link href="/" className="button">
            Back to all job descriptions
          </Link>
        </p>
      </main>
    </>
  );
}
