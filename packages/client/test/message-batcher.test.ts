import { RATE_LIMIT_PER_MINUTE, RATE_LIMIT_PER_SECOND } from '@jd-collab/protocol';
import { describe, expect, it } from 'vitest';
import { MessageBatcher } from '../src/message-batcher.js';
import { ManualTimers } from './manual-timers.js';

function setup(options = {}, collect: () => string[] = () => []) {
  const timers = new ManualTimers();
  const frames: Array<{ at: number; messages: string[] }> = [];
  const batcher = new MessageBatcher<string>(
    options,
    timers,
    (messages) => frames.push({ at: timers.now(), messages }),
    collect,
  );
  return { timers, frames, batcher };
}

describe('MessageBatcher', () => {
  it('sends one frame maxDelayMs after the first message', () => {
    const { timers, frames, batcher } = setup({ maxDelayMs: 50 });
    batcher.enqueue('a');
    timers.advance(20);
    batcher.enqueue('b');
    timers.advance(29);
    expect(frames).toEqual([]);
    timers.advance(1);
    expect(frames).toEqual([{ at: 50, messages: ['a', 'b'] }]);
  });

  it('sends at once when maxMessages are queued, but keeps frames minIntervalMs apart', () => {
    const { timers, frames, batcher } = setup({ maxMessages: 3, maxDelayMs: 50, minIntervalMs: 100 });
    for (const m of ['1', '2', '3']) batcher.enqueue(m);
    timers.advance(0);
    expect(frames).toEqual([{ at: 0, messages: ['1', '2', '3'] }]);
    for (const m of ['4', '5', '6', '7']) batcher.enqueue(m);
    timers.advance(99);
    expect(frames.length).toBe(1);
    timers.advance(1);
    expect(frames[1]).toEqual({ at: 100, messages: ['4', '5', '6'] });
    timers.advance(100);
    expect(frames[2]).toEqual({ at: 200, messages: ['7'] });
  });

  it('coalesces keyed messages so only the latest cursor is sent', () => {
    const { timers, frames, batcher } = setup({ maxDelayMs: 10 });
    batcher.enqueue('cursor 1', 'cursor');
    batcher.enqueue('presence', 'presence');
    batcher.enqueue('cursor 2', 'cursor');
    timers.advance(10);
    expect(frames[0]?.messages).toEqual(['cursor 2', 'presence']);
  });

  it('puts collected messages first and asks collect() when requested without a queue', () => {
    let edits = 0;
    const { timers, frames, batcher } = setup({ maxDelayMs: 5 }, () =>
      edits > 0 ? [`change x${edits}`] : [],
    );
    batcher.enqueue('cursor', 'cursor');
    edits = 3;
    timers.advance(5);
    expect(frames[0]?.messages).toEqual(['change x3', 'cursor']);
    batcher.request();
    timers.advance(300);
    expect(frames[1]?.messages).toEqual(['change x3']);
  });

  it('holds everything while paused (RATE_LIMITED retryAfter)', () => {
    const { timers, frames, batcher } = setup({ maxDelayMs: 5 });
    batcher.pauseUntil(1000);
    batcher.enqueue('a');
    timers.advance(999);
    expect(frames).toEqual([]);
    timers.advance(1);
    expect(frames).toEqual([{ at: 1000, messages: ['a'] }]);
  });

  it('keeps a typist at 15 characters/s with cursor moves under the server rate limits', () => {
    let buffered = 0;
    const { timers, frames, batcher } = setup({}, () => {
      // The client composes every keystroke since the last frame into one change.
      const out = buffered > 0 ? [`change(${buffered})`] : [];
      buffered = 0;
      return out;
    });
    const keystrokeMs = 1000 / 15;
    for (let i = 0; i < 15 * 60; i++) {
      buffered++;
      batcher.request();
      batcher.enqueue(`cursor ${i}`, 'cursor');
      timers.advance(keystrokeMs);
    }
    timers.advance(1000);
    const times = frames.map((f) => f.at);
    expect(times.length).toBeLessThanOrEqual(RATE_LIMIT_PER_MINUTE * 0.85);
    for (const t of times) {
      const inWindow = times.filter((u) => u >= t && u < t + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(RATE_LIMIT_PER_SECOND / 2);
    }
    // Nothing typed is lost: every keystroke is in some frame's change.
    const typed = frames.flatMap((f) => f.messages).filter((m) => m.startsWith('change('));
    expect(typed.reduce((n, m) => n + Number(m.slice(7, -1)), 0)).toBe(15 * 60);
  });

  it('reset drops the queue and the pacing', () => {
    const { timers, frames, batcher } = setup({ maxDelayMs: 5, minIntervalMs: 1000 });
    batcher.enqueue('a');
    timers.advance(5);
    batcher.enqueue('b');
    batcher.reset();
    timers.advance(2000);
    expect(frames.map((f) => f.messages)).toEqual([['a']]);
    batcher.enqueue('c');
    timers.advance(5);
    expect(frames.map((f) => f.messages)).toEqual([['a'], ['c']]);
  });
});
