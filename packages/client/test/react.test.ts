// @vitest-environment jsdom
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { createElement, StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  initials,
  PresenceIndicator,
  useCollabClient,
  useCollaborativeEditor,
  usePresence,
  useWebSocket,
} from '../src/react/index.js';
import type { WebSocketConstructor } from '../src/socket.js';
import { FakeServer } from './fake-server.js';
import { closeAllClients, connected, makeClient, waitUntil } from './helpers.js';

let server: FakeServer;

beforeEach(async () => {
  server = await FakeServer.start({ text: 'Hello' });
  server.addUser('alice-token', { userId: 'alice', name: 'Alice Adams' });
  server.addUser('bob-token', { userId: 'bob', name: 'bob' });
});

afterEach(async () => {
  cleanup();
  closeAllClients();
  await server.close();
});

function hookOptions(token: string) {
  return {
    url: server.url,
    getToken: () => token,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    batch: { maxDelayMs: 2, minIntervalMs: 2 },
  };
}

/** The root lib has no DOM types (Node packages); this is the little of an element the tests read. */
interface ElementView {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}

function view(element: unknown): ElementView {
  return element as ElementView;
}

function App({ token }: { token: string }) {
  const client = useCollabClient(server.documentId, hookOptions(token));
  return createElement(PresenceIndicator, { client });
}

describe('React bindings', () => {
  it('useCollabClient + useCollaborativeEditor load the text, apply local edits and show remote ones', async () => {
    const bob = makeClient(server, 'bob-token');
    await waitUntil(() => connected(bob), [bob], 'bob connected');
    const { result } = renderHook(() => {
      const client = useCollabClient(server.documentId, hookOptions('alice-token'));
      return { client, editor: useCollaborativeEditor(client) };
    });
    await waitFor(() => expect(result.current.editor.status).toBe('connected'));
    expect(result.current.editor.text).toBe('Hello');
    expect(result.current.editor.ready).toBe(true);

    act(() => result.current.editor.applyLocalChange([5, ', world']));
    expect(result.current.editor.text).toBe('Hello, world');
    await waitFor(() => expect(result.current.editor.pendingCount).toBe(0));

    await waitUntil(() => bob.text === 'Hello, world', [bob], 'bob got it');
    act(() => bob.applyLocalChange(['¡']));
    await waitFor(() => expect(result.current.editor.text).toBe('¡Hello, world'));
  });

  it('keeps exactly one connection under StrictMode and closes it on unmount', async () => {
    const { result, unmount } = renderHook(
      () => useWebSocket(server.documentId, hookOptions('alice-token')),
      {
        wrapper: ({ children }) => createElement(StrictMode, null, children),
      },
    );
    await waitFor(() => expect(result.current.isConnected).toBe(true));
    await waitFor(() => expect(server.sessionCount).toBe(1));
    unmount();
    await waitFor(() => expect(server.sessionCount).toBe(0));
  });

  it('usePresence lists the others and their cursors', async () => {
    const bob = makeClient(server, 'bob-token');
    const { result } = renderHook(() => {
      const client = useCollabClient(server.documentId, hookOptions('alice-token'));
      return usePresence(client);
    });
    await waitFor(() => expect(result.current.users.map((u) => u.name)).toEqual(['bob']));
    await waitUntil(() => connected(bob), [bob], 'bob connected');
    act(() => bob.setCursor(3));
    await waitFor(() => expect(result.current.cursors).toMatchObject([{ name: 'bob', position: 3 }]));
  });

  it('PresenceIndicator shows initials, colors and accessible names, and follows status changes', async () => {
    const bob = makeClient(server, 'bob-token');
    render(createElement(App, { token: 'alice-token' }));
    const avatar = await screen.findByRole('listitem', { name: 'bob, active' });
    expect(view(avatar).textContent).toBe('B');
    expect(screen.getByRole('list', { name: '1 other person on this document' })).toBeTruthy();
    await waitUntil(() => connected(bob), [bob], 'bob connected');
    act(() => bob.setActivity('idle'));
    const idle = await screen.findByRole('listitem', { name: 'bob, idle' });
    expect(view(idle).getAttribute('data-status')).toBe('idle');
  });

  it('initials uses the first and last word, whole code points', () => {
    expect(initials('Alice Mary Adams')).toBe('AA');
    expect(initials('bob')).toBe('B');
    expect(initials('  ')).toBe('?');
    expect(initials('😀 émile')).toBe('😀É');
  });
});
