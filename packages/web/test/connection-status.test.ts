import { CollabError } from '@jd-collab/client';
import { describe, expect, it } from 'vitest';
import { describeConnection } from '../src/editor/connection-status.js';

const base = { pendingCount: 0, version: 3, lastError: null, canWrite: true, deleted: null } as const;

describe('connection status wording', () => {
  it('is quiet when every edit is saved, and counts edits in flight', () => {
    expect(describeConnection({ ...base, status: 'connected' }, true)).toMatchObject({
      tone: 'ok',
      short: 'All changes saved',
      banner: null,
    });
    expect(describeConnection({ ...base, status: 'connected', pendingCount: 2 }, true).short).toBe(
      'Saving 2 edits…',
    );
  });

  it('shows a banner with the edits waiting while reconnecting or offline', () => {
    const reconnecting = describeConnection({ ...base, status: 'reconnecting', pendingCount: 1 }, true);
    expect(reconnecting.tone).toBe('warning');
    expect(reconnecting.banner).toContain('1 edit waiting to be sent');
    const offline = describeConnection(
      {
        ...base,
        status: 'offline',
        pendingCount: 3,
        lastError: new CollabError('RECONNECT_FAILED', 'Gave up after 10 attempts'),
      },
      true,
    );
    expect(offline.banner).toContain('3 edits waiting to be sent');
    expect(offline.banner).toContain('Gave up after 10 attempts');
  });

  it('trusts the browser when it says the network is gone', () => {
    const view = describeConnection({ ...base, status: 'connected', pendingCount: 4 }, true, false);
    expect(view).toMatchObject({ tone: 'error', short: 'Offline · 4 waiting' });
    expect(view.banner).toContain('4 edits waiting to be sent');
  });

  it('explains a document that could not be opened', () => {
    const view = describeConnection(
      { ...base, status: 'offline', lastError: new CollabError('DOCUMENT_NOT_FOUND', 'No such document') },
      false,
    );
    expect(view.banner).toBe('Cannot open this document. No such document');
  });
});
