/**
 * The CodeMirror editor for one document, synchronised through a CollabClient. The view is
 * created once per client; read-only mode is switched through a compartment so the view (and its
 * undo history) survives permission changes.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import type { CollabClient } from '@jd-collab/client';
import { useEffect, useRef } from 'react';
import { type ChecksLintOptions, checksLint } from './checks-lint.js';
import { collabSync } from './collab-sync.js';
import { exposeForDiagnostics } from './diagnostics.js';
import { editorTheme } from './editor-theme.js';

export interface CollabEditorProps {
  client: CollabClient;
  readOnly: boolean;
  /** Accessible name of the text area. */
  label: string;
  describedBy?: string;
  /** The writing checks: underlines and fixes (checks-lint.ts). */
  checks?: ChecksLintOptions;
}

export function CollabEditor({ client, readOnly, label, describedBy, checks }: CollabEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const readOnlyCompartment = useRef(new Compartment());
  // Read when the view is created; later changes must not rebuild the view (and lose undo).
  const latest = useRef({ readOnly, label, describedBy, checks });
  latest.current = { readOnly, label, describedBy, checks };

  useEffect(() => {
    if (host.current === null) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: client.text,
        extensions: [
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap]),
          highlightSelectionMatches(),
          markdown(),
          EditorView.lineWrapping,
          editorTheme(),
          placeholder('Start writing the job description…'),
          EditorView.contentAttributes.of({
            'aria-label': latest.current.label,
            'aria-multiline': 'true',
            ...(latest.current.describedBy ? { 'aria-describedby': latest.current.describedBy } : {}),
          }),
          readOnlyCompartment.current.of(EditorState.readOnly.of(latest.current.readOnly)),
          collabSync(client),
          ...(latest.current.checks ? [checksLint(latest.current.checks)] : []),
        ],
      }),
    });
    viewRef.current = view;
    const unexpose = exposeForDiagnostics(view, client);
    return () => {
      unexpose();
      view.destroy();
      viewRef.current = null;
    };
  }, [client]);

  useEffect(() => {
    viewRef.current?.dispatch({
      effects: readOnlyCompartment.current.reconfigure(EditorState.readOnly.of(readOnly)),
    });
  }, [readOnly]);

  return <div ref={host} className="editor-host" data-readonly={readOnly ? 'true' : 'false'} />;
}
