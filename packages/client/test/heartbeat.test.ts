import { describe, expect, it } from 'vitest';
import { Heartbeat } from '../src/heartbeat.js';
import { ManualTimers } from './manual-timers.js';

describe('Heartbeat', () => {
  it('declares the connection dead when nothing arrives after a heartbeat, and not before', () => {
    const timers = new ManualTimers();
    const sent: number[] = [];
    let dead = 0;
    const heartbeat = new Heartbeat(
      { intervalMs: 100, timeoutMs: 50, send: (t) => sent.push(t), onDead: () => dead++ },
      timers,
    );
    heartbeat.start();
    timers.advance(120);
    heartbeat.received();
    timers.advance(100);
    expect(sent).toEqual([100, 200]);
    expect(dead).toBe(0);
    timers.advance(30);
    expect(dead).toBe(1);
    timers.advance(1000);
    expect(sent.length).toBe(2); // stopped after declaring death
  });
});
