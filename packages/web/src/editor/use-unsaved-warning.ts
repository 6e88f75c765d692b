/**
 * Asks the browser to confirm closing or reloading the tab while edits have not reached the
 * server: offline, or typed a moment ago. Until the server acknowledges them they exist only in
 * this tab. Leaving the document inside the app does not drop them either (CollabClient.leave
 * keeps sending them for a while), so the question outlives the editor page until the client
 * has delivered them or closed.
 *
 * With `persisted` (the client keeps pending edits in IndexedDB) there is nothing to ask: the next
 * page load of the document shows them and sends them. Unless storing them fails, when the question
 * comes back.
 */
import type { CollabClient } from '@jd-collab/client';
import { useEffect } from 'react';

export function useUnsavedWarning(client: CollabClient | null, persisted = false): void {
  useEffect(() => {
    if (client === null) return;
    let kept = persisted;
    let guarded = false;
    let unmounted = false;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium shows the dialog only when returnValue is set.
      event.returnValue = true;
    };
    // Registered only while needed: a beforeunload listener can keep a page out of the back/forward cache.
    const update = () => {
      const unsaved = !kept && !client.isClosed && client.state.pendingCount > 0;
      if (unsaved !== guarded) {
        guarded = unsaved;
        if (unsaved) window.addEventListener('beforeunload', warn);
        else window.removeEventListener('beforeunload', warn);
      }
      if (unmounted && !unsaved) stop();
    };
    const stopState = client.on('state', update);
    const stopErrors = persisted
      ? client.on('error', (error) => {
          if (error.code !== 'PERSISTENCE_FAILED') return;
          kept = false;
          update();
        })
      : () => undefined;
    const stop = () => {
      stopState();
      stopErrors();
    };
    update();
    return () => {
      unmounted = true;
      update();
    };
  }, [client, persisted]);
}
