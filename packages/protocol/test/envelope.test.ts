import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedsUtf8Bytes, parseClientMessage, parseFrame } from '../src/envelope.js';
import { MAX_BATCH_LENGTH } from '../src/limits.js';

const heartbeat = { type: 'system.heartbeat', payload: {} };

describe('parseFrame', () => {
  it('parses a single envelope as a non-batch with one result', () => {
    expect(parseFrame(JSON.stringify(heartbeat))).toEqual({
      batch: false,
      results: [{ ok: true, message: heartbeat }],
    });
  });

  it('refuses malformed JSON with INVALID_JSON', () => {
    for (const text of ['', '{', '{"type":', 'undefined', "{'type':'x'}", '{"a":1}}', '\u0000']) {
      const { batch, results } = parseFrame(text);
      expect(batch).toBe(false);
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ ok: false, error: { code: 'INVALID_JSON' } });
    }
  });

  it('refuses JSON that is not an object with INVALID_MESSAGE', () => {
    for (const text of ['null', '5', '"document.open"', 'true']) {
      expect(parseFrame(text).results[0]).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    }
  });

  it('returns one result per envelope of a batch, in order, valid and invalid mixed', () => {
    const frame = [
      heartbeat,
      { type: 'cursor.position', payload: { position: -1 }, metadata: { correlationId: 'b' } },
      { type: 'nope', payload: {} },
      'not an object',
      { type: 'document.change', payload: { changeId: 'k', baseVersion: 0, op: [0] } },
      { type: 'sync.request', payload: { sinceVersion: 2 } },
    ];
    const { batch, results } = parseFrame(JSON.stringify(frame));
    expect(batch).toBe(true);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'ok',
      'INVALID_MESSAGE',
      'UNKNOWN_TYPE',
      'INVALID_MESSAGE',
      'INVALID_OP',
      'ok',
    ]);
    expect(results[1]).toMatchObject({ ok: false, type: 'cursor.position', error: { correlationId: 'b' } });
    expect(results[4]).toMatchObject({ ok: false, error: { changeId: 'k' } });
    // Only known types are reported back (safe as a metrics label); 'nope' is not.
    expect(results[2]).not.toHaveProperty('type');
    expect(results[5]).toEqual({ ok: true, message: { type: 'sync.request', payload: { sinceVersion: 2 } } });
  });

  it('accepts a batch of exactly the maximum length and refuses a longer one whole', () => {
    const full = parseFrame(JSON.stringify(Array.from({ length: MAX_BATCH_LENGTH }, () => heartbeat)));
    expect(full.results).toHaveLength(MAX_BATCH_LENGTH);
    expect(full.results.every((r) => r.ok)).toBe(true);

    const huge = parseFrame(JSON.stringify(Array.from({ length: 10_000 }, () => heartbeat)));
    expect(huge.batch).toBe(true);
    expect(huge.results).toHaveLength(1);
    expect(huge.results[0]).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LARGE' } });
  });

  it('honours a custom batch limit', () => {
    const { results } = parseFrame(JSON.stringify([heartbeat, heartbeat, heartbeat]), { maxBatchLength: 2 });
    expect(results).toEqual([{ ok: false, error: expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }) }]);
  });

  it('refuses an empty batch with INVALID_MESSAGE', () => {
    expect(parseFrame('[]')).toEqual({
      batch: true,
      results: [{ ok: false, error: expect.objectContaining({ code: 'INVALID_MESSAGE' }) }],
    });
  });

  it('refuses frames over the byte limit with MESSAGE_TOO_LARGE, counting UTF-8 bytes', () => {
    const insert = (content: string) =>
      JSON.stringify({ type: 'document.change', payload: { changeId: 'a', baseVersion: 0, op: [content] } });
    const ascii = insert('x'.repeat(100));
    expect(parseFrame(ascii, { maxFrameBytes: ascii.length }).results[0]?.ok).toBe(true);
    expect(parseFrame(ascii, { maxFrameBytes: ascii.length - 1 }).results[0]).toMatchObject({
      error: { code: 'MESSAGE_TOO_LARGE' },
    });
    // 100 emoji are 200 UTF-16 units but 400 UTF-8 bytes.
    const emoji = insert('😀'.repeat(100));
    const bytes = new TextEncoder().encode(emoji).length;
    expect(parseFrame(emoji, { maxFrameBytes: bytes }).results[0]?.ok).toBe(true);
    expect(parseFrame(emoji, { maxFrameBytes: bytes - 1 }).results[0]).toMatchObject({
      error: { code: 'MESSAGE_TOO_LARGE' },
    });
  });

  it('refuses a non-string frame instead of throwing', () => {
    expect(parseFrame(undefined as unknown as string).results[0]).toMatchObject({
      error: { code: 'INVALID_MESSAGE' },
    });
  });

  it('does not let __proto__ keys or deep nesting escape validation', () => {
    const proto = '{"type":"cursor.position","payload":{"__proto__":{"position":1}}}';
    expect(parseFrame(proto).results[0]).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    const deep = `{"type":"system.heartbeat","payload":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    expect(parseFrame(deep).results[0]).toEqual({ ok: true, message: heartbeat });
  });

  it('never throws and always yields at least one result, whatever the input', () => {
    const envelopeLike = fc.record(
      {
        type: fc.oneof(
          fc.constantFrom('document.change', 'cursor.position', 'document.save', 'x'),
          fc.anything(),
        ),
        payload: fc.oneof(fc.object(), fc.anything()),
        metadata: fc.oneof(fc.object(), fc.anything()),
      },
      { requiredKeys: [] },
    );
    const text = fc.oneof(
      fc.string(),
      fc.json(),
      envelopeLike.map((e) => JSON.stringify(e) ?? ''),
      fc.array(envelopeLike, { maxLength: 5 }).map((a) => JSON.stringify(a)),
    );
    fc.assert(
      fc.property(text, (input) => {
        const result = parseFrame(input);
        expect(result.results.length).toBeGreaterThan(0);
        for (const r of result.results) {
          if (!r.ok) expect(typeof r.error.message).toBe('string');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseClientMessage', () => {
  it('validates an already decoded envelope', () => {
    expect(parseClientMessage(heartbeat)).toEqual({ ok: true, message: heartbeat });
    expect(parseClientMessage([heartbeat])).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
  });
});

/** Text of arbitrary code points, lone surrogates included (fc's 'binary' unit is very slow to generate). */
const anyText = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
      fc.constantFrom('\uD800', '\uDFFF', 'a'),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

describe('exceedsUtf8Bytes', () => {
  it('agrees with TextEncoder on mixed text', () => {
    fc.assert(
      fc.property(anyText, fc.nat(200), (text, max) => {
        const bytes = new TextEncoder().encode(text).length;
        expect(exceedsUtf8Bytes(text, max)).toBe(bytes > max);
      }),
      { numRuns: 200 },
    );
  });

  it('counts a lone surrogate as 3 bytes, like TextEncoder (which writes U+FFFD)', () => {
    for (const text of ['\uD800', 'a\uDC00b', '\uD83D\uDE00\uD83D']) {
      const bytes = new TextEncoder().encode(text).length;
      expect(exceedsUtf8Bytes(text, bytes)).toBe(false);
      expect(exceedsUtf8Bytes(text, bytes - 1)).toBe(true);
    }
  });
});
