/** The bar at the top of every signed-in page: product name (home), page-specific middle, the user. */
import type { ReactNode } from 'react';
import { useSignedIn } from '../auth/session-context.js';
import { navigate } from '../router.js';
import { Avatar } from './avatar.js';
import { Logo } from './logo.js';

export function AppHeader({ children }: { children?: ReactNode }) {
  const { session, signOut } = useSignedIn();
  return (
    <header className="app-header">
      <a
        href="/"
        className="home-link"
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          navigate('/');
        }}
      >
        <Logo compact />
        <span className="visually-hidden">All job descriptions</span>
      </a>
      <div className="app-header-middle">{children}</div>
      <div className="user-menu">
        <Avatar name={session.user.name} color={session.user.color} size="small" note="(you)" />
        <span className="user-name">{session.user.name}</span>
        <button type="button" className="button button-quiet" onClick={() => signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
