import { describe, expect, it } from 'vitest';
import { runOtBench, syntheticTrace } from '../src/index.js';
import { replayWithStringSplice, replayWithTextDocument } from '../src/ot/trace-replay.js';
import { loadTrace } from '../src/traces.js';

describe('OT benchmark harness (smoke)', () => {
  it('replays a synthetic trace with emoji to its end content both ways', () => {
    const trace = syntheticTrace(1500);
    expect(replayWithTextDocument(trace).correct).toBe(true);
    expect(replayWithStringSplice(trace).correct).toBe(true);
  });

  it('prints its tables and reports correctness', () => {
    let out = '';
    const result = runOtBench({ smoke: true, log: (t) => (out += t) });
    expect(result.allCorrect).toBe(true);
    expect(out).toMatch(/trace replay/);
    expect(out).toMatch(/transform/);
  });

  it('replays a real trace when the shared traces are present', () => {
    const trace = loadTrace('sveltecomponent');
    if (!trace) return; // a clone without ../shared has no traces; the synthetic check above still ran
    expect(replayWithTextDocument(trace).correct).toBe(true);
  });
});
