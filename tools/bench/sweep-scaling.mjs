// sweep-scaling: one small grid (mnist-holdout --quick, 4 models x 2 trials = 8 units, wasm) run in
// process, then queued on a local redis-server (BullMQ) with 1 and with 2 `curvad worker`s. Prints
// the wall times, the speed-ups and the queue's overhead per unit (the submitter's own measurement:
// pickup = queued or worker-free to taken, result = finished in Redis to recorded through BullMQ's
// queue events; plus the unit process's start and data loading, which each worker slot pays once,
// as a local run does).
//
//   pnpm --filter @curvad/experiments... --filter @curvad/cli build
//   node tools/bench/run.mjs sweep-scaling
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
try {
  console.log(
    `grid: ${GRID.join(' ')} (8 units); load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  let cpuBefore = machineCpu();
  const local = await run(['experiment', 'ood', ...GRID, '--out', join(dir, 'local')]);
  rows.push({ mode: 'in process', seconds: local.seconds, cores: coresBusySince(cpuBefore), overhead: '' });
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
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
