/**
 * Metadata changes made over the REST API reach the people who have the document open: a PATCH
 * becomes document.updated for every session, a DELETE closes them with DOCUMENT_DELETED, on
 * this node and (through pub/sub) on the others. The HTTP app is the real one, wired to the
 * harness's collab core as server.ts wires it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterDeps } from '../../src/collab/types.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/types.js';
import { createLogger } from '../../src/logger.js';
import { createMemoryPresenceRegistry, MemoryHub, MemoryPubSub } from '../../src/pubsub/index.js';
import { createMemoryStore } from '../../src/storage/index.js';
import type { DocumentStore } from '../../src/storage/types.js';
import { closeNodesSharingStore, type Harness, startHarness } from './harness.js';

let nodes: Harness[] = [];
let apps: App[] = [];

afterEach(async () => {
  for (const app of apps) await app.close();
  await closeNodesSharingStore(nodes);
  nodes = [];
  apps = [];
});

/** A node: the collab core (harness) plus the HTTP API talking to it. */
async function node(options: { store?: DocumentStore; cluster?: ClusterDeps } = {}) {
  const h = await startHarness(options);
  nodes.push(h);
  const app = await buildApp({
    config: h.config,
    store: h.store,
    tokens: h.tokens,
    metrics: h.metrics,
    logger: createLogger(h.config),
    collab: h.collab,
  });
  apps.push(app);
  const call = async (method: 'PATCH' | 'DELETE', url: string, body?: object) => {
    const token = await h.tokens.sign(
      {
        sub: 'editor',
        name: 'Edna Editor',
        permissions: ['document:*:write'],
        roles: method === 'DELETE' ? ['admin'] : [],
      },
      60,
    );
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body ? { payload: body } : {}),
    });
    return res.statusCode;
  };
  return { h, call };
}

function twoNodes(hub = new MemoryHub()) {
  const store = createMemoryStore();
  const presence = createMemoryPresenceRegistry();
  const cluster = (serverId: string): ClusterDeps => ({
    serverId,
    pubsub: new MemoryPubSub({ hub }),
    presence,
    presenceTtlMs: 15_000,
    checkIntervalMs: 0,
  });
  return { store, cluster };
}

describe('document metadata changes reach open sessions', () => {
  it('PATCH sends document.updated to every session, and later opens carry the new title', async () => {
    const { h, call } = await node();
    const a = await h.connect('jd', { sub: 'a' });
    const b = await h.connect('jd', { sub: 'b' });
    await a.nextOf('document.open');
    await b.nextOf('document.open');

    expect(await call('PATCH', '/api/documents/jd', { title: 'Staff Engineer', status: 'review' })).toBe(200);
    for (const client of [a, b]) {
      const updated = await client.nextOf('document.updated');
      expect(updated.payload).toMatchObject({
        documentId: 'jd',
        title: 'Staff Engineer',
        status: 'review',
        updatedBy: 'editor',
        updatedByName: 'Edna Editor',
      });
    }
    // A session joining the still-loaded room gets the current title, not the one read at load.
    const c = await h.connect('jd', { sub: 'c' });
    expect((await c.nextOf('document.open')).payload.title).toBe('Staff Engineer');
    expect([...a.violations, ...b.violations, ...c.violations]).toEqual([]);
  });

  it('DELETE tells open sessions the document was deleted and closes them with 1008', async () => {
    const { h, call } = await node();
    const a = await h.connect('gone', { sub: 'a' });
    await a.nextOf('document.open');

    expect(await call('DELETE', '/api/documents/gone')).toBe(204);
    const error = await a.nextOf('system.error');
    expect(error.payload).toMatchObject({
      code: 'DOCUMENT_DELETED',
      message: 'This document was deleted by Edna Editor',
      deletedBy: { userId: 'editor', name: 'Edna Editor' },
      deletedAt: expect.any(Number),
    });
    expect((await a.closed).code).toBe(1008);
    // The room is gone at once: a new connection reads the store and is told it was deleted.
    expect(h.collab.stats().documents).toBe(0);
    const again = await h.connect('gone', { permissions: ['document:*:read'], ensure: false });
    expect((await again.nextOf('system.error')).payload).toMatchObject({
      code: 'DOCUMENT_DELETED',
      deletedBy: { name: 'Edna Editor' },
    });
    expect((await again.closed).code).toBe(1008);
    expect(again.all('document.open')).toEqual([]);
  });

  it('a PATCH or DELETE on one node reaches the sessions on another node', async () => {
    const { store, cluster } = twoNodes();
    const one = await node({ store, cluster: cluster('one') });
    const two = await node({ store, cluster: cluster('two') });
    const b = await two.h.connect('shared', { sub: 'b' });
    await b.nextOf('document.open');

    // Node one does not have the document open: the update still travels on its channel.
    expect(await one.call('PATCH', '/api/documents/shared', { title: 'Renamed', department: 'Ops' })).toBe(
      200,
    );
    const updated = await b.nextOf('document.updated');
    expect(updated.payload).toMatchObject({ documentId: 'shared', title: 'Renamed', department: 'Ops' });
    // Posting fields travel the same way, whole, on every node.
    const posting = { workplace: 'remote', remoteEligible: ['US-CA'] };
    expect(await one.call('PATCH', '/api/documents/shared', { posting })).toBe(200);
    expect(
      (await b.nextOf('document.updated', (p) => p.posting !== undefined && 'workplace' in p.posting))
        .payload,
    ).toMatchObject({ posting });

    expect(await one.call('DELETE', '/api/documents/shared')).toBe(204);
    expect((await b.nextOf('system.error')).payload).toMatchObject({
      code: 'DOCUMENT_DELETED',
      deletedBy: { userId: 'editor', name: 'Edna Editor' },
    });
    expect((await b.closed).code).toBe(1008);
    expect(b.violations).toEqual([]);
  });

  it('ignores a malformed meta message from another node', async () => {
    const hub = new MemoryHub();
    const { store, cluster } = twoNodes(hub);
    const one = await node({ store, cluster: cluster('one') });
    const b = await one.h.connect('odd', { sub: 'b' });
    await b.nextOf('document.open');

    const stranger = new MemoryPubSub({ hub });
    const base = { serverId: 'stranger', documentId: 'odd', kind: 'meta' as const };
    await stranger.publish('doc:odd', { ...base, payload: { event: 'updated', document: { title: 3 } } });
    await stranger.publish('doc:odd', { ...base, payload: 'nonsense' });
    // One publisher's messages arrive in order: once this valid one shows, the others were dropped.
    const document = {
      documentId: 'odd',
      title: 'Odd',
      department: '',
      status: 'published',
      updatedBy: 'x',
      updatedByName: 'X',
      updatedAt: 1,
    };
    await stranger.publish('doc:odd', { ...base, payload: { event: 'updated', document } });
    expect((await b.nextOf('document.updated')).payload).toEqual(document);
    expect(b.all('document.updated')).toHaveLength(1);
    expect(b.all('system.error')).toEqual([]);
    expect(b.ws.readyState).toBe(b.ws.OPEN);
    await stranger.close();
  });
});
