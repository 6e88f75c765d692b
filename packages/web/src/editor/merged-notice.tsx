/**
 * After a long offline period the server may no longer have the changes our unsent edits were
 * made on. The client then merges them into the newer text by comparing texts and emits `merged`
 * (rare). Say so once, discreetly, so the person looks over what they typed; they dismiss it.
 */
import type { CollabClient, MergedEvent } from '@jd-collab/client';
import { useEffect, useState } from 'react';

/** Pure: the sentence for `pendingEdits` merged edits. */
export function describeMerge(pendingEdits: number): string {
  return pendingEdits === 1
    ? 'You were offline for a long time: your unsent edit was merged into a newer version of this job description. Please look it over.'
    : `You were offline for a long time: your ${pendingEdits} unsent edits were merged into a newer version of this job description. Please look over them.`;
}

/** The last `merged` event of `client` until dismissed (null: nothing to say). */
export function useMerged(client: CollabClient | null): [MergedEvent | null, () => void] {
  const [merged, setMerged] = useState<MergedEvent | null>(null);
  useEffect(() => {
    setMerged(null);
    if (client === null) return;
    return client.on('merged', setMerged);
  }, [client]);
  return [merged, () => setMerged(null)];
}

export function MergedNotice({ client }: { client: CollabClient | null }) {
  const [merged, dismiss] = useMerged(client);
  return (
    <div role="status" aria-live="polite">
      {merged !== null && (
        <div className="notice notice-info slim notice-dismissible" data-testid="merged-notice">
          <span>{describeMerge(merged.pendingEdits)}</span>
          <button type="button" className="button button-small" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
