/**
 * `window.jdCollab` in the browser console: the editor's text, the client's text and state, for
 * support ("are my edits sent?") and for the end-to-end tests, which read the exact text from here
 * instead of scraping CodeMirror's DOM (which renders only the visible lines, plus cursor labels).
 * Read-only: nothing here can change the document.
 */
import type { EditorView } from '@codemirror/view';
import type { ClientState, CollabClient } from '@jd-collab/client';

export interface Diagnostics {
  editorText(): string;
  clientText(): string;
  state(): ClientState;
}

declare global {
  interface Window {
    jdCollab?: Diagnostics;
  }
}

export function exposeForDiagnostics(view: EditorView, client: CollabClient): () => void {
  const diagnostics: Diagnostics = {
    editorText: () => view.state.doc.toString(),
    clientText: () => client.text,
    state: () => client.state,
  };
  window.jdCollab = diagnostics;
  return () => {
    if (window.jdCollab === diagnostics) delete window.jdCollab;
  };
}
