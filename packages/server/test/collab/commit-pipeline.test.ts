import { TextDocument } from '@jd-collab/ot';
import { beforeEach, describe, expect, it } from 'vitest';
import { type CommitHost, CommitPipeline, type CommittedEntry } from '../../src/collab/commit-pipeline.js';
import { ChangeHistory } from '../../src/collab/history.js';
import { MemoryStore } from '../../src/storage/index.js';
import type { CommitResult, StoredChange } from '../../src/storage/types.js';

/** The real memory store, counting transactions. */
class CountingStore extends MemoryStore {
  commits: number[] = [];
  override async commitChanges(id: string, expected: number, changes: StoredChange[]): Promise<CommitResult> {
    this.commits.push(changes.length);
    return super.commitChanges(id, expected, changes);
  }
}

let store: CountingStore;
let announced: CommittedEntry<string>[];
let host: CommitHost<string>;

beforeEach(async () => {
  store = new CountingStore();
  await store.init();
  await store.createDocument({
    id: 'd',
    title: 'T',
    department: 'D',
    content: '',
    createdBy: 'u',
    createdByName: 'U',
  });
  announced = [];
  host = {
    maxDocumentLength: 100_000,
    documentId: 'd',
    store,
    history: new ChangeHistory({ limit: 100 }, 0),
    doc: new TextDocument(''),
    committed: (entries) => announced.push(...entries),
    observeStorage: () => undefined,
    counters: { transforms: () => undefined, conflict: () => undefined, committed: () => undefined },
    now: () => 1,
  };
});

const req = (changeId: string, baseVersion: number, op: StoredChange['op']) => ({
  changeId,
  baseVersion,
  op,
  userId: 'u',
  userName: 'U',
  origin: changeId,
});

describe('CommitPipeline', () => {
  it('commits changes queued during a commit together in the next transaction', async () => {
    const pipeline = new CommitPipeline(host);
    const results = await Promise.all([
      pipeline.submit(req('a', 0, ['a'])),
      pipeline.submit(req('b', 0, ['b'])),
      pipeline.submit(req('c', 0, ['c'])),
      pipeline.submit(req('d', 0, ['d'])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['committed', 'committed', 'committed', 'committed']);
    // The first goes alone (nothing was queued yet); the three that waited share one transaction.
    expect(store.commits).toEqual([1, 3]);
    expect(announced.map((e) => [e.change.version, e.origin])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ]);
    expect(host.doc.toString()).toBe('abcd');
    expect(host.history.version).toBe(4);
  });

  it('answers a duplicate inside one batch after the first is committed', async () => {
    const pipeline = new CommitPipeline(host);
    const [first, , again] = await Promise.all([
      pipeline.submit(req('x', 0, ['1'])),
      pipeline.submit(req('y', 0, ['2'])),
      pipeline.submit(req('y', 0, ['2'])),
    ]);
    expect(first).toEqual({ status: 'committed', version: 1 });
    expect(again).toEqual({ status: 'duplicate', version: 2 });
    expect(host.doc.toString()).toBe('12');
  });

  it('applies nothing when one change of a batch does not fit, and commits the others', async () => {
    const pipeline = new CommitPipeline(host);
    const results = await Promise.all([
      pipeline.submit(req('ok1', 0, ['abc'])),
      pipeline.submit(req('bad', 0, [10, 'x'])),
      pipeline.submit(req('ok2', 1, [3, '!'])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['committed', 'invalid', 'committed']);
    expect(host.doc.toString()).toBe('abc!');
    expect((await store.getChanges('d', 0)).map((c) => c.changeId)).toEqual(['ok1', 'ok2']);
  });

  it('refuses a change past the length limit without a trace: a later delete naming its text still fits', async () => {
    host.maxDocumentLength = 10;
    const pipeline = new CommitPipeline(host);
    await pipeline.submit(req('hello', 0, ['hello']));
    const results = await Promise.all([
      pipeline.submit(req('del-h', 1, [{ d: 'h' }])),
      pipeline.submit(req('too-long', 1, ['XXXXXXXX'])),
      pipeline.submit(req('del-e', 1, [1, { d: 'e' }])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['committed', 'too-large', 'committed']);
    expect(results[1]).toMatchObject({ length: 12, limit: 10 });
    expect(host.doc.toString()).toBe('llo');
  });

  /** Another writer always takes the next version first (commits 'o' just before each attempt). */
  function alwaysLoseTheRace(): void {
    const original = store.commitChanges.bind(store);
    let n = 0;
    store.commitChanges = async (id, expected, changes) => {
      await original(id, expected, [{ ...changes[0]!, changeId: `other-${n++}`, op: ['o'] }]);
      return original(id, expected, changes);
    };
  }

  it('gives up with a conflict after too many version-taken retries', async () => {
    const pipeline = new CommitPipeline(host, { maxRetries: 2 });
    alwaysLoseTheRace();
    const result = await pipeline.submit(req('mine', 0, ['m']));
    expect(result.status).toBe('conflict');
    expect(host.doc.toString()).toBe('ooo');
    expect(announced.map((e) => e.origin)).toEqual([null, null, null]);
  });

  it('also gives up when its retry time is spent, however many retries are left', async () => {
    const pipeline = new CommitPipeline(host, { maxRetries: 1000, retryForMs: 0 });
    alwaysLoseTheRace();
    const result = await pipeline.submit(req('mine', 0, ['m']));
    expect(result.status).toBe('conflict');
    expect(host.doc.toString()).toBe('o'); // one lost race, then the budget was spent
  });
});

describe('CommitPipeline: changes from other nodes', () => {
  const stored = (version: number, changeId: string, op: StoredChange['op']): StoredChange => ({
    documentId: 'd',
    version,
    changeId,
    userId: 'o',
    userName: 'Other',
    op,
    createdAt: 1,
  });
  /** Another node commits directly to the store (its message may or may not arrive). */
  const commitElsewhere = async (...changes: StoredChange[]) => {
    const result = await store.commitChanges('d', changes[0]!.version - 1, changes);
    expect(result.ok).toBe(true);
  };

  it('applies the next versions, drops the ones it has, and announces them with origin null', async () => {
    const pipeline = new CommitPipeline(host);
    const v1 = stored(1, 'x1', ['x']);
    const v2 = stored(2, 'x2', [1, 'y']);
    await commitElsewhere(v1, v2);
    await pipeline.remote([v1]);
    await pipeline.remote([v1, v2]); // v1 again: a repeated message
    await pipeline.remote([v2]);
    expect(host.doc.toString()).toBe('xy');
    expect(announced.map((e) => [e.change.version, e.origin])).toEqual([
      [1, null],
      [2, null],
    ]);
  });

  it('reads a hole from the store instead of waiting for the lost message', async () => {
    const pipeline = new CommitPipeline(host);
    const v1 = stored(1, 'x1', ['a']);
    const v2 = stored(2, 'x2', [1, 'b']);
    const v3 = stored(3, 'x3', [2, 'c']);
    await commitElsewhere(v1, v2, v3);
    await pipeline.remote([v3]); // 1 and 2 were lost
    expect(host.doc.toString()).toBe('abc');
    expect(announced.map((e) => e.change.version)).toEqual([1, 2, 3]);
  });

  it('trusts the store over a message whose op does not apply', async () => {
    const pipeline = new CommitPipeline(host);
    await commitElsewhere(stored(1, 'x1', ['ok']));
    await pipeline.remote([stored(1, 'x1', [5, 'broken'])]);
    expect(host.doc.toString()).toBe('ok');
    expect(host.history.version).toBe(1);
  });

  it('runs remote applies between local commits, so a local change is rebased over them', async () => {
    const pipeline = new CommitPipeline(host);
    await commitElsewhere(stored(1, 'x1', ['remote ']));
    const remote = pipeline.remote([stored(1, 'x1', ['remote '])]);
    const local = pipeline.submit(req('mine', 0, ['local ']));
    await remote;
    expect(await local).toEqual({ status: 'committed', version: 2 });
    expect(host.doc.toString()).toBe('remote local ');
    // The other node's commit, then ours at the first attempt (no version-taken round trip).
    expect(store.commits).toEqual([1, 1]);
  });

  it('refresh() reads whatever the store has beyond our version', async () => {
    const pipeline = new CommitPipeline(host);
    await commitElsewhere(stored(1, 'x1', ['q']));
    await pipeline.refresh();
    await pipeline.refresh(); // nothing new: no announcement
    expect(announced.map((e) => e.change.changeId)).toEqual(['x1']);
    expect(host.doc.toString()).toBe('q');
  });

  it('rejects remote() when the store cannot be read, and applies nothing', async () => {
    const pipeline = new CommitPipeline(host);
    await store.close();
    await expect(pipeline.remote([stored(3, 'x3', ['z'])])).rejects.toThrow();
    expect(host.history.version).toBe(0);
    expect(await pipeline.submit(req('after', 0, ['a']))).toMatchObject({ status: 'storage-error' });
  });
});
