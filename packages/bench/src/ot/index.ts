/** The OT engine benchmark: trace replays plus transform/compose throughput. */
import { formatTable, type Row } from '../report.js';
import { loadTrace, SEQUENTIAL_TRACES, type SequentialTrace } from '../traces.js';
import { measureCompose, measureTransform } from './throughput.js';
import { replayWithStringSplice, replayWithTextDocument } from './trace-replay.js';

export interface OtBenchOptions {
  /** Smoke mode: tiny synthetic trace, small counts, proves the harness works. */
  smoke?: boolean;
  log?: (text: string) => void;
}

export interface OtBenchResult {
  traces: Row[];
  throughput: Row[];
  allCorrect: boolean;
  missingTraces: string[];
}

/** A small synthetic trace (used in smoke mode and when the shared traces are absent). */
export function syntheticTrace(edits = 2000): SequentialTrace {
  let text = '';
  const txns: SequentialTrace['txns'] = [];
  let seed = 3;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed % n;
  };
  const units = [...'abc de😀中é\n'];
  for (let i = 0; i < edits; i++) {
    const cps = [...text];
    const pos = rnd(cps.length + 1);
    if (cps.length > 0 && rnd(4) === 0) {
      const del = Math.min(1 + rnd(3), cps.length - pos);
      if (del > 0) {
        txns.push({ patches: [[pos, del, '']] });
        text = cps.slice(0, pos).join('') + cps.slice(pos + del).join('');
        continue;
      }
    }
    const ins = units[rnd(units.length)]!;
    txns.push({ patches: [[pos, 0, ins]] });
    text = cps.slice(0, pos).join('') + ins + cps.slice(pos).join('');
  }
  return { name: 'synthetic', startContent: '', endContent: text, txns };
}

export function runOtBench(options: OtBenchOptions = {}): OtBenchResult {
  const log = options.log ?? ((t: string) => process.stdout.write(t));
  const traces: SequentialTrace[] = [];
  const missingTraces: string[] = [];
  if (options.smoke) traces.push(syntheticTrace());
  else {
    for (const name of SEQUENTIAL_TRACES) {
      const trace = loadTrace(name);
      if (trace) traces.push(trace);
      else missingTraces.push(name);
    }
    if (missingTraces.length > 0) log(`traces not found (set TRACES_DIR): ${missingTraces.join(', ')}\n`);
  }

  const traceRows: Row[] = [];
  for (const trace of traces) {
    // One warm-up pass so the JIT has seen the code, then the measured passes (best of 3).
    replayWithTextDocument(trace);
    const engine = [0, 1, 2].map(() => replayWithTextDocument(trace)).sort((a, b) => a.ms - b.ms)[0]!;
    const splice = replayWithStringSplice(trace);
    traceRows.push({
      trace: trace.name,
      patches: engine.patches,
      'engine ms': engine.ms,
      'engine ops/s': Math.round(engine.opsPerSecond),
      'string splice ms': splice.ms,
      speedup: splice.ms / engine.ms,
      'equals endContent': engine.correct && splice.correct,
    });
  }
  log(formatTable('OT engine: trace replay (TextDocument, best of 3)', traceRows));

  const count = options.smoke ? 5_000 : 200_000;
  measureTransform(count);
  const throughput = [measureTransform(count), measureCompose(count)].map((r) => ({
    operation: r.name,
    count: r.operations,
    ms: r.ms,
    'per second': Math.round(r.perSecond),
  }));
  log(formatTable('OT engine: throughput on edit-shaped ops', throughput));
  return {
    traces: traceRows,
    throughput,
    allCorrect: traceRows.every((r) => r['equals endContent'] === true),
    missingTraces,
  };
}
