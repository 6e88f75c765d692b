/**
 * The job description as candidates will read it. Markdown is rendered by marked and sanitised by
 * DOMPurify before it touches the DOM: the text is written by many people, so a `<script>` or an
 * `onerror=` in it must never run in a colleague's browser. Rendering is deferred so typing stays
 * fluid in long documents.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useDeferredValue, useLayoutEffect, useMemo, useRef } from 'react';

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  // Links in a preview open in a new tab and do not hand this page to the target.
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

export function MarkdownPreview({ text, id }: { text: string; id?: string }) {
  const deferred = useDeferredValue(text);
  const html = useMemo(() => renderMarkdown(deferred), [deferred]);
  const article = useRef<HTMLElement>(null);
  // Set as HTML only here, and only after DOMPurify (renderMarkdown).
  useLayoutEffect(() => {
    if (article.current !== null) article.current.innerHTML = html;
  }, [html]);
  return <article ref={article} id={id} className="markdown-preview" aria-label="Preview" />;
}
