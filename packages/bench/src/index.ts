/**
 * `npm run bench`: runs the benchmarks and prints their tables; JSON goes to bench-results/.
 * Choose scenarios with `--only=ot,checks,editors,documents,idle,client-trace,cluster`; `--smoke` runs tiny
 * versions that only prove the harness works. The server scenarios are described in
 * load/cli.ts (options) and docs/benchmarks.md. The generator re-executes itself pinned to core 1
 * (`--no-pin` to skip); every scenario's server process (scenario 5: all three nodes) is pinned to
 * core 0.
 */
import path from 'node:path';
import { runChecksBench } from './checks/index.js';
import { LOAD_SCENARIOS, runLoadScenarios } from './load/cli.js';
import { reexecPinned } from './load/pin.js';
import { startServerProcess } from './load/server-process.js';
import { runOtBench } from './ot/index.js';
import { formatTable, machineDescription, writeJson } from './report.js';

export { runChecksBench } from './checks/index.js';
export { runOtBench, syntheticTrace } from './ot/index.js';

const SCENARIOS = ['ot', 'checks', ...LOAD_SCENARIOS];

async function main(argv: string[]): Promise<number> {
  const smoke = argv.includes('--smoke');
  const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const only = onlyArg ? new Set(onlyArg.split(',')) : null;
  const unknown = [...(only ?? [])].filter((s) => !SCENARIOS.includes(s));
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
    return 2;
  }
  if (!argv.includes('--no-pin')) {
    const childStatus = reexecPinned(1);
    if (childStatus !== null) return childStatus;
  }
  const outDir = path.resolve(process.env.BENCH_OUT ?? 'bench-results');
  const machine = machineDescription();
  process.stdout.write(formatTable('machine', [machine]));

  let ok = true;
  if (!only || only.has('ot')) {
    const result = runOtBench({ smoke });
    ok &&= result.allCorrect;
    process.stdout.write(`wrote ${writeJson(outDir, 'ot', { machine, ...result })}\n`);
  }
  if (!only || only.has('checks')) {
    const result = runChecksBench({ smoke });
    process.stdout.write(`wrote ${writeJson(outDir, 'checks', { machine, ...result })}\n`);
  }
  if (!only || LOAD_SCENARIOS.some((s) => only.has(s))) {
    ok &&= await runLoadScenarios({
      argv,
      only,
      smoke,
      outDir,
      machine,
      startServer: startServerProcess,
      log: (text) => process.stdout.write(text),
    });
  }
  return ok ? 0 : 1;
}

const invokedDirectly = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
