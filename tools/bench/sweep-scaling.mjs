// sweep-scaling: one small grid (mnist-holdout --quick with 4 models x 2 trials = 8 units, wasm,
// `--epochs N` epochs per unit, default 8, so a unit takes seconds, not the --quick run's 1-2 s) run
// in process, then queued on a local redis-server (BullMQ) with 1 and with 2 `curvad worker`s. Prints
// the wall times, the speed-ups and the queue's overhead per unit (the submitter's own measurement:
// pickup = queued or worker-free to taken, result = finished in Redis to recorded through BullMQ's
// queue events; plus the unit process's start and data loading, which each worker slot pays once,
// as a local run does).
//
// The machine's own ceiling, measured in the same run: the same in-process run twice at once (two
// independent processes, no queue, no shared state). 2 x (one run alone) / (two at once) is the most
// any scheduler can get from 2 processes on this machine for this work; the 2-worker speed-up is
// printed against it. `--epochs 1` gives the old --quick grid.
//
//   pnpm --filter @curvad/experiments... --filter @curvad/cli build
//   node tools/bench/run.mjs sweep-scaling [--epochs N]
//
// Needs redis-server on the PATH (scripts/setup.sh installs it). Targets (issue 18): 2 workers at
// least 1.6x faster than 1 worker; queue overhead under 2% of a unit's time.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'apps/cli/dist/cli.js');
function epochsArgument() {
  const at = process.argv.indexOf('--epochs');
  if (at < 0) return 8;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--epochs wants a whole number of epochs per unit, 1 or more (got ${process.argv[at + 1]}).`);
    process.exit(2);
  }
  return value;
}
const EPOCHS = epochsArgument();
const GRID = [
  '--preset',
  'mnist-holdout',
  '--quick',
  '--backend',
  'wasm',
  '--trials',
  '2',
  '--set',
  'models=["baseline","SiO","HiO","MiO"]',
  '--set',
  `epochs=${EPOCHS}`,
];

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function startRedis(port, dir) {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) resolve(child);
    });
  });
}

/** Busy and total CPU milliseconds of the whole machine so far (every process, not only ours). */
function machineCpu() {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** The machine's cores busy (all processes) between `before` and now, as cores out of cpus().length. */
function coresBusySince(before) {
  const now = machineCpu();
  return (cpus().length * (now.busy - before.busy)) / Math.max(1, now.total - before.total);
}

function run(args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`curvad ${args.join(' ')} exited with ${code}:\n${stderr}`));
      else resolve({ seconds: (performance.now() - started) / 1000, stderr });
    });
  });
}

function startWorker(queue, name) {
  const child = spawn(process.execPath, [CLI, 'worker', '--queue', queue, '--backend', 'wasm', '--name', name], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { stop: () => new Promise((resolve) => child.once('exit', resolve) && child.kill('SIGTERM')) };
}

try {
  execFileSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' });
} catch {
  console.error('sweep-scaling needs redis-server (apt-get install redis-server, or scripts/setup.sh as root).');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'curvad-sweep-'));
const port = await freePort();
const redis = await startRedis(port, dir);
const rows = [];
let pair = null;
try {
  console.log(
    `grid: ${GRID.join(' ')} (8 units); load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  let cpuBefore = machineCpu();
  const local = await run(['experiment', 'ood', ...GRID, '--out', join(dir, 'local')]);
  rows.push({ mode: 'in process', seconds: local.seconds, cores: coresBusySince(cpuBefore), overhead: '' });
  cpuBefore = machineCpu();
  const pairStarted = performance.now();
  await Promise.all([0, 1].map((i) => run(['experiment', 'ood', ...GRID, '--out', join(dir, `local-pair-${i}`)])));
  pair = { seconds: (performance.now() - pairStarted) / 1000, cores: coresBusySince(cpuBefore) };
  for (const workers of [1, 2]) {
    const queue = `redis://127.0.0.1:${port}/${workers}`;
    cpuBefore = machineCpu();
    const started = Array.from({ length: workers }, (_, i) => startWorker(queue, `w${i + 1}`));
    const queued = await run(['experiment', 'ood', ...GRID, '--queue', queue, '--out', join(dir, `workers-${workers}`)]);
    await Promise.all(started.map((w) => w.stop()));
    const overhead = queued.stderr.match(/queue overhead over .*/)?.[0] ?? '(no overhead line)';
    rows.push({ mode: `${workers} worker(s)`, seconds: queued.seconds, cores: coresBusySince(cpuBefore), overhead });
  }
} finally {
  redis.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
const one = rows[1].seconds;
for (const row of rows) {
  console.log(
    `${row.mode.padEnd(12)} ${row.seconds.toFixed(1).padStart(7)} s   vs 1 worker x${(one / row.seconds).toFixed(2)}   machine busy ${row.cores.toFixed(2)} of ${cpus().length} cores (all processes)   ${row.overhead}`,
  );
}
const ceiling = (2 * rows[0].seconds) / pair.seconds;
const twoWorkers = one / rows[2].seconds;
console.log(
  `ceiling: the in-process run twice at once took ${pair.seconds.toFixed(1)} s (machine busy ${pair.cores.toFixed(2)} of ${cpus().length} cores) against ${rows[0].seconds.toFixed(1)} s alone: x${ceiling.toFixed(2)} throughput from 2 processes on this machine`,
);
console.log(
  `2 workers vs 1 worker: x${twoWorkers.toFixed(2)} (target x1.60), ${((100 * twoWorkers) / ceiling).toFixed(0)}% of the machine's ceiling x${ceiling.toFixed(2)}`,
);
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
