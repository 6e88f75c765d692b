/**
 * Loads the real editing traces (josephg/editing-traces, CC BY 4.0) that live in the shared
 * folder beside the repository. Positions and counts in them are Unicode code points.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export type Patch = [position: number, deleteCount: number, insert: string];

export interface SequentialTrace {
  name: string;
  startContent: string;
  endContent: string;
  txns: Array<{ patches: Patch[] }>;
}

export const SEQUENTIAL_TRACES = ['automerge-paper', 'seph-blog1', 'sveltecomponent'] as const;

/** The traces folder: $TRACES_DIR, else ../shared/traces from the repository root. */
export function tracesDir(): string | null {
  if (process.env.TRACES_DIR) return process.env.TRACES_DIR;
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const candidate = path.resolve(repoRoot, '../shared/traces');
  return existsSync(candidate) ? candidate : null;
}

export function loadTrace(name: string, dir = tracesDir()): SequentialTrace | null {
  if (!dir) return null;
  const file = path.join(dir, `${name}.json.gz`);
  if (!existsSync(file)) return null;
  const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Omit<SequentialTrace, 'name'>;
  return { name, ...data };
}

export function patchCount(trace: SequentialTrace): number {
  let n = 0;
  for (const t of trace.txns) n += t.patches.length;
  return n;
}
