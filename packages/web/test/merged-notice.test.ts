// @vitest-environment jsdom
import type { CollabClient, MergedEvent } from '@jd-collab/client';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { describeMerge, MergedNotice } from '../src/editor/merged-notice.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** The part of a CollabClient the notice reads: its `merged` event, emitted by the test. */
class FakeClient {
  private listeners = new Set<(event: MergedEvent) => void>();
  on(event: 'merged', listener: (event: MergedEvent) => void): () => void {
    expect(event).toBe('merged');
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  merged(pendingEdits: number): void {
    for (const listener of [...this.listeners]) listener({ pendingEdits, version: 42 });
  }
  get subscribers(): number {
    return this.listeners.size;
  }
}

async function render(client: FakeClient) {
  const container = document.createElement('div');
  const root = createRoot(container);
  await act(async () =>
    root.render(createElement(MergedNotice, { client: client as unknown as CollabClient })),
  );
  const notice = () => container.querySelector('[data-testid="merged-notice"]');
  return { container, root, notice };
}

describe('MergedNotice', () => {
  it('says nothing until the client merged edits, then how many, until dismissed', async () => {
    const client = new FakeClient();
    const { container, root, notice } = await render(client);
    expect(notice()).toBeNull();
    // The live region is there from the start, so screen readers announce the notice when it comes.
    expect(container.querySelector('[role="status"]')?.getAttribute('aria-live')).toBe('polite');

    act(() => client.merged(3));
    expect(notice()?.textContent).toContain(
      'You were offline for a long time: your 3 unsent edits were merged into a newer version of this job description. Please look over them.',
    );
    expect(notice()?.closest('[role="status"]')).not.toBeNull();

    const dismiss = notice()?.querySelector('button');
    expect(dismiss?.textContent).toBe('Dismiss');
    act(() => dismiss?.click());
    expect(notice()).toBeNull();

    await act(async () => root.unmount());
    expect(client.subscribers).toBe(0);
  });

  it('shows a later merge again, with its own count', async () => {
    const client = new FakeClient();
    const { root, notice } = await render(client);
    act(() => client.merged(2));
    act(() => notice()?.querySelector('button')?.click());
    act(() => client.merged(1));
    expect(notice()?.textContent).toContain('your unsent edit was merged');
    await act(async () => root.unmount());
  });

  it('words one edit and many', () => {
    expect(describeMerge(1)).toBe(
      'You were offline for a long time: your unsent edit was merged into a newer version of this job description. Please look it over.',
    );
    expect(describeMerge(12)).toContain('your 12 unsent edits were merged');
  });
});
