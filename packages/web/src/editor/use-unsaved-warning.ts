/**
 * Asks the browser to confirm closing or reloading the tab while edits have not reached the
 * server: offline, or typed a moment ago. Until the server acknowledges them they exist only in
 * this tab. (Leaving the document inside the app waits for them instead: CollabClient.leave.)
 */
import { useEffect } from 'react';

export function useUnsavedWarning(unsaved: boolean): void {
  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium shows the dialog only when returnValue is set.
      event.returnValue = true;
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);
}
