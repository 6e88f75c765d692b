/**
 * What the editor becomes when its job description is deleted while open (or while this person
 * was offline): who deleted it, and their own text, to copy or download. The client library has
 * stopped for good (state.deleted) and never sends the unsent edits anywhere, so this copy is the
 * only place they still live.
 */
import type { DocumentDeleted } from '@jd-collab/client';
import { useId, useState } from 'react';
import { fullTime } from '../ui/format.js';
import { Link } from '../ui/link.js';

export function DeletedDocument({
  deleted,
  title,
  text,
}: {
  deleted: DocumentDeleted;
  title: string;
  text: string;
}) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const textId = useId();
  const who = deleted.deletedBy?.name;
  const unsent = deleted.pendingCount;

  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${fileName(title)}.md`;
    link.click();
    // After the click has started the download; revoking at once can cancel it in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <main className="page deleted-page" aria-labelledby={`${textId}-heading`}>
      <div className="notice notice-error deleted-notice" role="alert">
        <h1 id={`${textId}-heading`}>
          This job description was deleted{who !== undefined ? ` by ${who}` : ''}
        </h1>
        <p>
          {deleted.deletedAt !== null && <>Deleted on {fullTime(deleted.deletedAt)}. </>}
          {unsent > 0 ? 'Your latest edits had not been saved yet, and they were not applied. ' : ''}
          Your copy of the text is below: copy it or download it before you leave this page. Nothing more is
          saved here. An administrator or its creator can restore the job description from the Trash.
        </p>
        <div className="deleted-actions">
          <button type="button" className="button button-primary" onClick={copy}>
            Copy your text
          </button>
          <button type="button" className="button" onClick={download}>
            Download as .md
          </button>
          <Link href="/" className="button">
            Back to all job descriptions
          </Link>
          <span role="status" className="muted">
            {copied === 'copied'
              ? 'Copied to the clipboard.'
              : copied === 'failed'
                ? 'Could not copy: select the text and copy it.'
                : ''}
          </span>
        </div>
      </div>
      <label htmlFor={textId} className="deleted-label">
        Your text{unsent > 0 ? ', with the unsaved edits' : ''}
      </label>
      <textarea id={textId} className="deleted-text" readOnly value={text} rows={18} />
    </main>
  );
}

/** A safe file name from the title (letters, digits, dashes). */
function fileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug === '' ? 'job-description' : slug;
}
