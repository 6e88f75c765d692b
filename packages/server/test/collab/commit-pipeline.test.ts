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
    documentId: 'd',
    store,
    history: new ChangeHistory(100, 0),
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

  it('gives up with a conflict after too many version-taken retries', async () => {
    // Another writer always takes the next version first.
    const pipeline = new CommitPipeline(host, { maxRetries: 2 });
    const original = store.commitChanges.bind(store);
    let n = 0;
    store.commitChanges = async (id, expected, changes) => {
      await original(id, expected, [{ ...changes[0]!, changeId: `other-${n++}`, op: ['o'] }]);
      return original(id, expected, changes);
    };
    const result = await pipeline.submit(req('mine', 0, ['m']));
    expect(result.status).toBe('conflict');
    expect(host.doc.toString()).toBe('ooo');
    expect(announced.map((e) => e.origin)).toEqual([null, null, null]);
  });
});
