import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { apply, codePointLength, sliceCodePoints, textType } from '../src/index.js';

const require = createRequire(import.meta.url);

describe('textType (the OT-type contract of the JavaScript OT ecosystem)', () => {
  it('has the members ShareDB and ot-fuzzer call', () => {
    for (const key of [
      'create',
      'apply',
      'transform',
      'compose',
      'invert',
      'normalize',
      'transformPosition',
    ]) {
      expect(typeof (textType as Record<string, unknown>)[key]).toBe('function');
    }
    expect(textType.name).toBe('jd-text');
    expect(textType.uri).toMatch(/^https:\/\//);
    expect(textType.create()).toBe('');
    expect(textType.create('abc')).toBe('abc');
  });

  it('passes ot-fuzzer, the ecosystem fuzzer, unchanged', () => {
    // The fuzzer is CommonJS and prints a progress bar to stderr; it throws on the first failure.
    const fuzzer = require('ot-fuzzer') as ((type: unknown, gen: unknown, iterations?: number) => void) & {
      randomInt(n: number): number;
      randomWord(): string;
    };
    const units = ['a', 'é', '😀', '中', 'e\u0301', ' '];
    const generateRandomOp = (doc: string): [unknown, string] => {
      const len = codePointLength(doc);
      const pos = fuzzer.randomInt(len + 1);
      if (len > 0 && fuzzer.randomInt(3) === 0) {
        const n = 1 + fuzzer.randomInt(Math.min(len - pos, 6) || 1);
        if (pos + n > len) return [[], doc];
        const op = pos > 0 ? [pos, { d: n }] : [{ d: n }];
        return [op, sliceCodePoints(doc, 0, pos) + sliceCodePoints(doc, pos + n)];
      }
      const text = fuzzer.randomWord() + units[fuzzer.randomInt(units.length)];
      const op = pos > 0 ? [pos, text] : [text];
      return [op, sliceCodePoints(doc, 0, pos) + text + sliceCodePoints(doc, pos)];
    };
    expect(() => fuzzer(textType, generateRandomOp, 300)).not.toThrow();
  });

  it('registers with ShareDB and converges two concurrent ShareDB clients', async () => {
    // sharedb ships no types; this is the slice of its API the test uses.
    type Callback = (err?: unknown) => void;
    interface ShareDoc {
      data: unknown;
      version: number | null;
      create(data: unknown, type: string, cb: Callback): void;
      subscribe(cb: Callback): void;
      submitOp(op: unknown, options: object, cb: Callback): void;
    }
    interface ShareDBBackend {
      connect(): { get(collection: string, id: string): ShareDoc };
      close(cb: () => void): void;
    }
    const ShareDB = require('sharedb') as {
      new (): ShareDBBackend;
      types: { register(type: unknown): void };
    };
    ShareDB.types.register(textType);
    const backend = new ShareDB();
    const c1 = backend.connect();
    const c2 = backend.connect();
    const d1 = c1.get('jds', 'one');
    const d2 = c2.get('jds', 'one');
    await new Promise<void>((resolve, reject) =>
      d1.create('Hello 😀', textType.uri, (err?: unknown) => (err ? reject(err) : resolve())),
    );
    await new Promise<void>((resolve, reject) =>
      d2.subscribe((err?: unknown) => (err ? reject(err) : resolve())),
    );
    await new Promise<void>((resolve, reject) =>
      d1.subscribe((err?: unknown) => (err ? reject(err) : resolve())),
    );
    // Concurrent edits: both submitted before either hears of the other.
    const done = Promise.all([
      new Promise<void>((r, j) => d1.submitOp([6, 'big '], {}, (e?: unknown) => (e ? j(e) : r()))),
      new Promise<void>((r, j) => d2.submitOp([7, '!'], {}, (e?: unknown) => (e ? j(e) : r()))),
    ]);
    await done;
    await new Promise<void>((resolve) => {
      const check = () =>
        d1.data === d2.data && d1.version === d2.version ? resolve() : setTimeout(check, 5);
      check();
    });
    expect(d1.data).toBe('Hello big 😀!');
    expect(d2.data).toBe(apply('Hello 😀', [6, 'big ', 1, '!']));
    await new Promise<void>((r) => backend.close(() => r()));
  });
});
