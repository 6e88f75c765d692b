// @vitest-environment jsdom
import { act, createElement, lazy, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { LoadFailureBoundary } from '../src/ui/load-failure-boundary.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('LoadFailureBoundary', () => {
  it('offers a reload when a lazily loaded part fails, instead of a blank page', async () => {
    // React reports the caught error on the console; keep the test output quiet.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const Broken = lazy(() => Promise.reject(new Error('Failed to fetch dynamically imported module')));
    const container = document.createElement('div');
    const root = createRoot(container);
    await act(async () =>
      root.render(
        createElement(
          LoadFailureBoundary,
          { what: 'the editor' },
          createElement(Suspense, { fallback: 'Opening…' }, createElement(Broken)),
        ),
      ),
    );
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('We could not load the editor');
    expect(container.querySelector('button')?.textContent).toBe('Reload the page');
    await act(async () => root.unmount());
    quiet.mockRestore();
  });

  it('shows what it wraps when it loads', async () => {
    const container = document.createElement('div');
    const root = createRoot(container);
    await act(async () =>
      root.render(
        createElement(LoadFailureBoundary, { what: 'the editor' }, createElement('p', null, 'Editor')),
      ),
    );
    expect(container.textContent).toBe('Editor');
    await act(async () => root.unmount());
  });
});
