import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { tokenFromFragment } from './auth/session.js';
import { SessionProvider } from './auth/session-context.js';
import './styles/app.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

// A token handed over by an identity provider (`#token=...`): take it, then remove it from the
// address bar and history at once, before anything (a bookmark, a screenshot, a referrer) can leak it.
const handoverToken = tokenFromFragment(window.location.hash);
if (handoverToken !== null) {
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
}

createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <App handoverToken={handoverToken} />
    </SessionProvider>
  </StrictMode>,
);
