/** The app: sign-in gate, then the two pages. A `#token=` handed over in the URL signs in first. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { describeError } from './api.js';
import { useSession } from './auth/session-context.js';
import { SignInPage } from './auth/sign-in-page.js';
import { sessionFromToken } from './auth/token-sign-in.js';
import { DocumentListPage } from './documents/document-list-page.js';
import { parseRoute, usePathname } from './router.js';
import { TrashPage } from './trash/trash-page.js';
import { Link } from './ui/link.js';
import { LoadFailureBoundary } from './ui/load-failure-boundary.js';

// The editor (CodeMirror, the Markdown preview, history diffs) is most of the code: the list of
// documents loads without it, and it is fetched as soon as the browser is idle after sign-in.
const loadEditorPage = () => import('./editor/editor-page.js');
const EditorPage = lazy(() => loadEditorPage().then((m) => ({ default: m.EditorPage })));

function whenIdle(work: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(work, { timeout: 2000 });
    return () => window.cancelIdleCallback(id);
  }
  const timer = window.setTimeout(work, 500);
  return () => window.clearTimeout(timer);
}

export function App({ handoverToken }: { handoverToken: string | null }) {
  const { session, signIn, signOut } = useSession();
  const [handover, setHandover] = useState<'checking' | 'done'>(handoverToken === null ? 'done' : 'checking');
  const pathname = usePathname();

  useEffect(() => {
    if (handoverToken === null) return;
    sessionFromToken(handoverToken)
      .then(signIn)
      .catch((error: unknown) => signOut(`The sign-in link did not work: ${describeError(error)}`))
      .finally(() => setHandover('done'));
  }, [handoverToken, signIn, signOut]);

  useEffect(() => {
    if (session === null) return;
    return whenIdle(() => void loadEditorPage().catch(() => undefined));
  }, [session]);

  if (handover === 'checking') {
    return (
      <main className="center-page" aria-busy="true">
        <p>Signing you in…</p>
      </main>
    );
  }
  if (session === null) return <SignInPage />;

  const route = parseRoute(pathname);
  switch (route.name) {
    case 'documents':
      return <DocumentListPage />;
    case 'trash':
      return <TrashPage />;
    case 'editor':
      return (
        <LoadFailureBoundary what="the editor">
          <Suspense
            fallback={
              <main className="center-page" aria-busy="true">
                <p>Opening the editor…</p>
              </main>
            }
          >
            <EditorPage key={route.documentId} documentId={route.documentId} />
          </Suspense>
        </LoadFailureBoundary>
      );
    default:
      return (
        <main className="center-page">
          <h1>Page not found</h1>
          <p>
            <Link href="/">Go to all job descriptions</Link>
          </p>
        </main>
      );
  }
}
