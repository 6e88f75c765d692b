// @vitest-environment jsdom
import type { ClientState, CollabClient } from '@jd-collab/client';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { useUnsavedWarning } from '../src/editor/use-unsaved-warning.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** The part of a CollabClient the hook reads, driven by the test. */
class FakeClient {
  isClosed = false;
  state = { pendingCount: 0 } as ClientState;
  private listeners = new Set<() => void>();
  on(_event: 'state', listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(pendingCount: number, closed = false): void {
    this.state = { ...this.state, pendingCount };
    this.isClosed = closed;
    for (const listener of [...this.listeners]) listener();
  }
  get subscribers(): number {
    return this.listeners.size;
  }
}

function blocksUnload(): boolean {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}

function Page({ client }: { client: FakeClient }) {
  useUnsavedWarning(client as unknown as CollabClient);
  return null;
}

describe('useUnsavedWarning', () => {
  it('asks before closing the tab while edits are unacknowledged, even after the page left', async () => {
    const client = new FakeClient();
    const root = createRoot(document.createElement('div'));
    await act(async () => root.render(createElement(Page, { client })));
    expect(blocksUnload()).toBe(false);
    act(() => client.set(2));
    expect(blocksUnload()).toBe(true);
    act(() => client.set(0));
    expect(blocksUnload()).toBe(false);

    // Leaving the document with edits still unsent: the client keeps sending them, the tab still asks.
    act(() => client.set(1));
    await act(async () => root.unmount());
    expect(blocksUnload()).toBe(true);
    act(() => client.set(0));
    expect(blocksUnload()).toBe(false);
    expect(client.subscribers).toBe(0);
  });

  it('stops asking once the client closed, and follows nothing after an unmount with nothing pending', async () => {
    const closing = new FakeClient();
    const root = createRoot(document.createElement('div'));
    await act(async () => root.render(createElement(Page, { client: closing })));
    act(() => closing.set(3));
    await act(async () => root.unmount());
    act(() => closing.set(3, true)); // leave() gave up and closed
    expect(blocksUnload()).toBe(false);
    expect(closing.subscribers).toBe(0);

    const idle = new FakeClient();
    const other = createRoot(document.createElement('div'));
    await act(async () => other.render(createElement(Page, { client: idle })));
    await act(async () => other.unmount());
    expect(idle.subscribers).toBe(0);
  });
});
