/** How the Markdown source looks: calm, readable prose with quiet syntax marks. */
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

const highlight = HighlightStyle.define([
  { tag: tags.heading1, fontSize: '1.45em', fontWeight: '650', color: '#1d2a26' },
  { tag: tags.heading2, fontSize: '1.18em', fontWeight: '650', color: '#1d2a26' },
  { tag: [tags.heading3, tags.heading4, tags.heading5, tags.heading6], fontWeight: '650' },
  { tag: tags.strong, fontWeight: '650' },
  { tag: tags.emphasis, fontStyle: 'italic' },
  // "[…]" is how the template marks text still to write; it parses as a link, so links stay quiet.
  { tag: tags.link, color: '#2f5d50' },
  { tag: tags.url, color: '#6b7a73' },
  { tag: [tags.processingInstruction, tags.contentSeparator, tags.meta], color: '#8a958f' },
  { tag: tags.list, color: '#1d2a26' },
  { tag: tags.monospace, fontFamily: 'var(--font-mono)', fontSize: '0.92em', color: '#6b3f8f' },
  { tag: tags.quote, color: '#55625c', fontStyle: 'italic' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '16px', backgroundColor: 'transparent' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--font-text)', lineHeight: '1.65', overflow: 'auto' },
  '.cm-content': { padding: '28px 0 120px', maxWidth: '46rem', margin: '0 auto', caretColor: '#1d2a26' },
  '.cm-line': { padding: '0 28px' },
  '.cm-cursor': { borderLeftWidth: '2px', borderLeftColor: '#1d2a26' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: '#cfe3dc !important',
  },
  '.cm-activeLine': { backgroundColor: 'transparent' },
  '.cm-placeholder': { color: '#8a958f' },
});

export function editorTheme(): Extension {
  return [theme, syntaxHighlighting(highlight)];
}
