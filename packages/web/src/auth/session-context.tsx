/**
 * The session and the API client bound to it, for every component. A 401 from the API (expired or
 * revoked token) signs the user out with an explanation instead of leaving broken pages.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { type Api, createApi } from '../api.js';
import { clearSession, loadSession, type Session, saveSession } from './session.js';

interface SessionContextValue {
  session: Session | null;
  api: Api;
  signIn(session: Session): void;
  /** `reason` is shown on the sign-in page (e.g. "Your session expired"). */
  signOut(reason?: string): void;
  signOutReason: string | null;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => loadSession(window.localStorage));
  const [signOutReason, setSignOutReason] = useState<string | null>(null);
  const tokenRef = useRef<string | null>(session?.token ?? null);
  tokenRef.current = session?.token ?? null;

  const signIn = useCallback((next: Session) => {
    saveSession(window.localStorage, next);
    tokenRef.current = next.token;
    setSignOutReason(null);
    setSession(next);
  }, []);

  const signOut = useCallback((reason?: string) => {
    clearSession(window.localStorage);
    tokenRef.current = null;
    setSignOutReason(reason ?? null);
    setSession(null);
  }, []);

  const api = useMemo(
    () =>
      createApi({
        getToken: () => tokenRef.current,
        onUnauthorized: (error) => {
          if (tokenRef.current !== null) signOut(`You were signed out: ${error.message}`);
        },
      }),
    [signOut],
  );

  const value = useMemo(
    () => ({ session, api, signIn, signOut, signOutReason }),
    [session, api, signIn, signOut, signOutReason],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession() outside <SessionProvider>');
  return value;
}

/** For pages that only render when signed in. */
export function useSignedIn(): SessionContextValue & { session: Session } {
  const value = useSession();
  if (value.session === null) throw new Error('useSignedIn() while signed out');
  return value as SessionContextValue & { session: Session };
}
