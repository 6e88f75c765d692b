/**
 * The check-engine benchmark (issue 21): time to check a 1,000-word and a 5,000-word job
 * description with every rule on, as a Web Worker or the server would run it. Median of several
 * runs after warm-up passes (the first call also builds the retext pipeline's caches).
 */
import { checkJobDescription, type Posting } from '@jd-collab/checks';
import { formatTable, type Row } from '../report.js';
import { syntheticJobDescription } from './synthetic-jd.js';

export interface ChecksBenchOptions {
  smoke?: boolean;
  log?: (text: string) => void;
}

const POSTING: Posting = {
  remoteEligible: ['US'],
  pay: { min: 120_000, max: 150_000, currency: 'USD', period: 'YEAR' },
  benefits: 'Medical, dental, 401(k)',
  variablePay: 'None',
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function runChecksBench(options: ChecksBenchOptions = {}): { rows: Row[] } {
  const log = options.log ?? ((t: string) => process.stdout.write(t));
  const sizes = options.smoke ? [200] : [1_000, 5_000];
  const runs = options.smoke ? 3 : 21;
  const rows: Row[] = [];
  for (const words of sizes) {
    const text = syntheticJobDescription(words);
    let report = checkJobDescription(text, POSTING);
    for (let i = 0; i < (options.smoke ? 1 : 5); i++) checkJobDescription(text, POSTING);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      report = checkJobDescription(text, POSTING);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    rows.push({
      'prose words': report.readability.words,
      findings: report.findings.length,
      runs,
      'median ms': percentile(times, 0.5),
      'min ms': times[0]!,
      'p90 ms': percentile(times, 0.9),
    });
  }
  log(formatTable('Check engine: checkJobDescription (median of runs after warm-up)', rows));
  return { rows };
}
