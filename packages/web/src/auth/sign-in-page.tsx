/**
 * Sign-in. In development the server offers a name-only sign-in (POST /api/auth/dev-login); in
 * production the organisation's identity provider issues the token and sends people here with
 * `#token=...`, or they paste one. When the dev sign-in is switched off (404), the page says so and
 * offers the token form only.
 */
import { type FormEvent, useId, useState } from 'react';
import { ApiError, describeError } from '../api.js';
import { Logo } from '../ui/logo.js';
import { useSession } from './session-context.js';
import { sessionFromToken } from './token-sign-in.js';

export function SignInPage() {
  const { api, signIn, signOutReason } = useSession();
  const [name, setName] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [devLoginAvailable, setDevLoginAvailable] = useState(true);
  const nameId = useId();
  const tokenId = useId();
  const errorId = useId();

  const submitName = async (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') {
      setError('Enter your name to sign in.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await api.devLogin(name.trim());
      signIn({ token: result.token, user: result.user, expiresAt: result.expiresAt });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        setDevLoginAvailable(false);
        setError('Signing in with a name is switched off on this server. Use your organisation sign-in.');
      } else {
        setError(describeError(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const submitToken = async (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() === '') {
      setError('Paste the access token you were given.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      signIn(await sessionFromToken(token.trim()));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <Logo />
        <h1>Write job descriptions together</h1>
        <p className="muted">
          Draft, review and publish job descriptions with your hiring team, live in one document.
        </p>
        {signOutReason !== null && (
          <p className="notice notice-warning" role="status">
            {signOutReason}
          </p>
        )}
        {error !== null && (
          <p className="notice notice-error" role="alert" id={errorId}>
            {error}
          </p>
        )}
        {devLoginAvailable && (
          <form onSubmit={submitName} className="stack" aria-label="Sign in with your name">
            <label htmlFor={nameId}>Your name</label>
            <input
              id={nameId}
              name="name"
              autoComplete="name"
              maxLength={60}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. Ana Ruiz"
              aria-describedby={error !== null ? errorId : undefined}
            />
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Signing in…' : 'Continue'}
            </button>
            <p className="hint">Development sign-in: anyone can pick any name. Others see this name.</p>
          </form>
        )}
        <details className="token-sign-in" open={!devLoginAvailable}>
          <summary>Sign in with an access token</summary>
          <form onSubmit={submitToken} className="stack" aria-label="Sign in with an access token">
            <label htmlFor={tokenId}>Access token from your organisation</label>
            <textarea
              id={tokenId}
              name="token"
              rows={3}
              spellCheck={false}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              placeholder="eyJhbGciOi…"
            />
            <button type="submit" className="button" disabled={busy}>
              Sign in with token
            </button>
          </form>
        </details>
      </div>
    </main>
  );
}
