// Entry point of `pnpm bench` (root) and `pnpm --filter @curvad/bench bench`: runs named
// benchmarks, each a `<name>.mjs` file in this folder, in its own Node process (each picks its
// own tfjs backend).
//
//   node tools/bench/run.mjs                    # list the benchmarks
//   node tools/bench/run.mjs manifolds-ops      # run one (arguments after the name go to it)
//   node tools/bench/run.mjs --all              # run every benchmark, one after another
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.mjs') && file !== 'run.mjs')
  .map((file) => file.slice(0, -'.mjs'.length))
  .sort();

const [name, ...rest] = process.argv.slice(2);

function runBenchmark(benchmark, args) {
  console.log(`\n=== ${benchmark} ===`);
  const result = spawnSync(process.execPath, [join(here, `${benchmark}.mjs`), ...args], { stdio: 'inherit' });
  return result.status ?? 1;
}

if (name === undefined) {
  console.log('Usage: node tools/bench/run.mjs <benchmark> [args...] | --all');
  console.log(`Benchmarks: ${available.join(', ')}`);
  process.exit(0);
}
if (name === '--all') {
  const failed = available.filter((benchmark) => runBenchmark(benchmark, []) !== 0);
  if (failed.length > 0) console.error(`\nFailed: ${failed.join(', ')}`);
  process.exit(failed.length > 0 ? 1 : 0);
}
if (!available.includes(name)) {
  console.error(`Unknown benchmark '${name}'. Available: ${available.join(', ')}`);
  process.exit(2);
}
process.exit(runBenchmark(name, rest));
