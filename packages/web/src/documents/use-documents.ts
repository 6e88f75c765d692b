/**
 * The document list, refreshed every 15 s while the tab is visible (and when it becomes visible
 * again), so "who is in it now" and "last edited" stay current without a push channel.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, type DocumentSummary, describeError } from '../api.js';
import { useSignedIn } from '../auth/session-context.js';

const REFRESH_MS = 15_000;

export interface DocumentsState {
  documents: DocumentSummary[] | null;
  error: string | null;
  reload(): void;
}

export function useDocuments(): DocumentsState {
  const { api } = useSignedIn();
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    api.listDocuments().then(
      (list) => {
        setDocuments(list);
        setError(null);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.isAuthError) return; // the session handles it
        setError(describeError(e));
      },
    );
  }, [api]);

  useEffect(() => {
    reload();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, REFRESH_MS);
    const onVisible = () => document.visibilityState === 'visible' && reload();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [reload]);

  return { documents, error, reload };
}
