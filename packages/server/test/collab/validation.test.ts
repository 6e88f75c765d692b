import { MAX_DOCUMENT_LENGTH } from '@jd-collab/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentOf, type Harness, msg, startHarness, type TestClient } from './harness.js';

let h: Harness;
let writer: TestClient;

beforeEach(async () => {
  h = await startHarness();
  writer = await h.connect('doc-v', { sub: 'w' });
  await writer.nextOf('document.open');
  writer.send(msg.change('seed', 0, ['hello']));
  await writer.nextOf('document.change', (p) => p.ack);
});

afterEach(async () => {
  expect(writer.violations).toEqual([]);
  await h.close();
});

/** Sends `frame`, expects one system.error with `code`, and checks nothing changed. */
async function refused(frame: unknown, code: string) {
  writer.send(frame);
  const error = await writer.nextOf('system.error');
  expect(error.payload.code).toBe(code);
  expect(error.payload.message).toEqual(expect.any(String));
  expect(await contentOf(writer)).toEqual({ content: 'hello', version: 1 });
  expect(writer.ws.readyState).toBe(writer.ws.OPEN);
  return error;
}

describe('bad input gets a clear error and changes nothing', () => {
  it('refuses an op that reaches past the end of the document', async () => {
    const error = await refused(msg.change('far', 1, [6, 'x'], 'corr-far'), 'INVALID_OP');
    expect(error.payload).toMatchObject({ changeId: 'far', correlationId: 'corr-far' });
  });

  it('refuses a change that would make the document longer than MAX_DOCUMENT_LENGTH, never a delete', async () => {
    // 'hello' + this is exactly the limit: still taken.
    const fill = 'é'.repeat(MAX_DOCUMENT_LENGTH - 5);
    writer.send(msg.change('fill', 1, [5, fill]));
    await writer.nextOf('document.change', (p) => p.ack && p.changeId === 'fill');
    writer.send(msg.change('one-more', 2, ['!'], 'corr-big'));
    const error = await writer.nextOf('system.error');
    expect(error.payload).toMatchObject({
      code: 'DOCUMENT_TOO_LARGE',
      changeId: 'one-more',
      correlationId: 'corr-big',
    });
    expect(error.payload.message).toContain(String(MAX_DOCUMENT_LENGTH));
    expect((await contentOf(writer)).version).toBe(2);
    // Shortening is always allowed, and then growing again up to the limit.
    writer.send(msg.change('trim', 2, [{ d: 3 }]));
    await writer.nextOf('document.change', (p) => p.ack && p.changeId === 'trim');
    writer.send(msg.change('again', 3, ['abc']));
    await writer.nextOf('document.change', (p) => p.ack && p.changeId === 'again');
    const { content } = await contentOf(writer);
    expect([...content].length).toBe(MAX_DOCUMENT_LENGTH);
    expect(content.startsWith('abclo')).toBe(true);
    expect(writer.ws.readyState).toBe(writer.ws.OPEN);
  });

  it('refuses an op that deletes past the end', async () => {
    await refused(msg.change('del', 1, [3, { d: 5 }]), 'INVALID_OP');
  });

  it('refuses an op that fits the tip but not its base version', async () => {
    writer.send(msg.change('grow', 1, [5, ' world']));
    await writer.nextOf('document.change', (p) => p.ack);
    writer.send(msg.change('stale-far', 1, [8, 'x']));
    const error = await writer.nextOf('system.error');
    expect(error.payload.code).toBe('INVALID_OP');
    expect((await contentOf(writer)).content).toBe('hello world');
  });

  it('refuses malformed ops', async () => {
    await refused(msg.change('m1', 1, [{ d: 0 }]), 'INVALID_OP');
    await refused(msg.change('m2', 1, [-1, 'x']), 'INVALID_OP');
    await refused(msg.change('m3', 1, 'insert x'), 'INVALID_OP');
    await refused(msg.change('m4', 1, [{ i: 'x' }]), 'INVALID_OP');
    await refused(msg.change('m5', 1, ['\ud800']), 'INVALID_OP');
  });

  it('refuses simple changes outside the document', async () => {
    await refused(msg.insert(99, 'x'), 'INVALID_OP');
    await refused(msg.remove(4, 9), 'INVALID_OP');
    await refused(msg.insert(-1, 'x'), 'INVALID_OP');
  });

  it('refuses an unknown message type', async () => {
    await refused({ type: 'document.explode', payload: {} }, 'UNKNOWN_TYPE');
  });

  it('refuses a server-only message type from a client', async () => {
    await refused({ type: 'sync.response', payload: { version: 0, content: 'x' } }, 'UNKNOWN_TYPE');
  });

  it('refuses malformed JSON', async () => {
    await refused('{"type": "document.change", ', 'INVALID_JSON');
  });

  it('refuses a non-object payload', async () => {
    await refused({ type: 'document.change', payload: 'insert hello' }, 'INVALID_MESSAGE');
    await refused({ type: 'cursor.position', payload: [1, 2] }, 'INVALID_MESSAGE');
  });

  it('refuses a message that is not an object', async () => {
    await refused('42', 'INVALID_MESSAGE');
    await refused('null', 'INVALID_MESSAGE');
  });

  it('refuses a binary frame', async () => {
    writer.ws.send(Buffer.from('{"type":"sync.request","payload":{}}'), { binary: true });
    const error = await writer.nextOf('system.error');
    expect(error.payload.code).toBe('INVALID_MESSAGE');
  });

  it('handles the valid messages of a batch and refuses the invalid ones', async () => {
    writer.send([msg.insert(5, '!'), { type: 'nope', payload: {} }, msg.insert(6, '?')]);
    const error = await writer.nextOf('system.error');
    expect(error.payload.code).toBe('UNKNOWN_TYPE');
    await writer.nextOf('document.change', (p) => p.ack && p.version === 3);
    expect((await contentOf(writer)).content).toBe('hello!?');
  });
});

describe('read-only users', () => {
  it('get FORBIDDEN for changes and saves, and the document stays unchanged', async () => {
    const reader = await h.connect('doc-v', { sub: 'r', permissions: ['document:doc-v:read'] });
    const open = await reader.nextOf('document.open');
    expect(open.payload).toMatchObject({ canWrite: false, content: 'hello', version: 1 });

    reader.send(msg.change('r1', 1, [5, '!'], 'corr-r1'));
    const error = await reader.nextOf('system.error');
    expect(error.payload).toMatchObject({ code: 'FORBIDDEN', changeId: 'r1', correlationId: 'corr-r1' });
    reader.send(msg.insert(0, 'x'));
    expect((await reader.nextOf('system.error')).payload.code).toBe('FORBIDDEN');
    reader.send({ type: 'document.save', payload: { name: 'mine' } });
    expect((await reader.nextOf('system.error')).payload.code).toBe('FORBIDDEN');

    expect(await contentOf(reader)).toEqual({ content: 'hello', version: 1 });
    expect(await h.store.getChanges('doc-v', 0)).toHaveLength(1);
    expect(await h.store.listNamedVersions('doc-v')).toEqual([]);
    // Readers still share their caret.
    reader.send({ type: 'cursor.position', payload: { position: 2 } });
    expect((await writer.nextOf('cursor.position')).payload.userId).toBe('r');
    expect(reader.violations).toEqual([]);
  });
});

describe('storage failures', () => {
  it('answers STORAGE_UNAVAILABLE and applies nothing when the commit fails', async () => {
    await h.store.close(); // the real store now refuses every call
    writer.send(msg.change('lost', 1, [5, '!'], 'corr-lost'));
    const error = await writer.nextOf('system.error');
    expect(error.payload).toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      changeId: 'lost',
      correlationId: 'corr-lost',
    });
    expect(error.payload.retryAfter).toBeGreaterThan(0);
    expect(await contentOf(writer)).toEqual({ content: 'hello', version: 1 });
    expect(writer.all('document.change').filter((m) => m.payload.changeId === 'lost')).toEqual([]);
    await h.store.init().catch(() => undefined);
  });
});
