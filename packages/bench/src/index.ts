/**
 * `npm run bench`: runs the benchmarks and prints their tables; JSON goes to bench-results/.
 * Choose scenarios with `--only ot,...`; `--smoke` runs tiny versions that only prove the
 * harness works.
 */
import path from 'node:path';
import { runOtBench } from './ot/index.js';
import { formatTable, machineDescription, writeJson } from './report.js';

export { runOtBench, syntheticTrace } from './ot/index.js';

async function main(argv: string[]): Promise<number> {
  const smoke = argv.includes('--smoke');
  const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const only = onlyArg ? new Set(onlyArg.split(',')) : null;
  const outDir = path.resolve(process.env.BENCH_OUT ?? 'bench-results');
  const machine = machineDescription();
  process.stdout.write(formatTable('machine', [machine]));

  let ok = true;
  if (!only || only.has('ot')) {
    const result = runOtBench({ smoke });
    ok &&= result.allCorrect;
    process.stdout.write(`wrote ${writeJson(outDir, 'ot', { machine, ...result })}\n`);
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
