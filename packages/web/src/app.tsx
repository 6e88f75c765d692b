/** The app: sign-in gate, then the two pages. A `#token=` handed over in the URL signs in first. */
import { useEffect, useState } from 'react';
import { describeError } from './api.js';
import { useSession } from './auth/session-context.js';
import { SignInPage } from './auth/sign-in-page.js';
import { sessionFromToken } from './auth/token-sign-in.js';
import { DocumentListPage } from './documents/document-list-page.js';
import { EditorPage } from './editor/editor-page.js';
import { parseRoute, usePathname } from './router.js';
import { Link } from './ui/link.js';

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
    case 'editor':
      return <EditorPage key={route.documentId} documentId={route.documentId} />;
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
