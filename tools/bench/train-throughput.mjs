#!/usr/bin/env node
// Training throughput of @curvad/runtime's backends (and of @curvad/data-parallel's DataParallelTrainer
// with --workers N) against PyTorch on CPU, measured in one run.
//
//   npx turbo run build --filter=@curvad/data-parallel && node tools/bench/train-throughput.mjs
//   (builds @curvad/runtime too: the tool depends on it)
//   options: --rounds 3 --steps 20 --warmup 3 --nets cnn,resnet18 --backends tensorflow,wasm,cpu
//            --torch-threads 1,2 --cpu-steps 2 --workers 2 --python /usr/bin/python3
//            --torch-default-malloc 1 (also time PyTorch 1 thread without the glibc tunables below)
//            --resnet18-rounds R --resnet18-steps S --resnet18-warmup W (per-net overrides, e.g. on a
//            busy machine where a ResNet-18 step on wasm takes tens of seconds)
//            --predict 1 (default; 0 skips the inference rows) --cnn-predict-batch 256
//            --resnet18-predict-batch 128 --predict-default-batch-size 1 (also time tfjs-layers'
//            default predict batchSize of 32 on the same images)
//            --readme 1 (write the table into packages/runtime/README.md's Benchmark section, with the
//            command, date, commit and load: tools/bench/readme-tables.js)
//
// Each round runs every (net, backend) for `warmup` untimed and `steps` timed training steps, then
// the same nets in PyTorch (a python3 child process that imports torch), so tfjs and PyTorch are
// interleaved and share whatever else the machine is doing. Reported: images/s from the median
// step time of each round (wall clock, and CPU time of the process), the median over rounds, and
// the median over rounds of the per-round ratio tfjs / PyTorch.
//
// "predict" rows time inference in each round right after training, with the same warm-up and step
// counts: tfjs `model.predict(x, { batchSize })` on one large batch with the logits read back
// (`data()`), against PyTorch's model.eval() + torch.no_grad() on the same batch; their ratios are
// against PyTorch's predict rows. The cpu backend is left out of them.
//
// PyTorch runs with glibc malloc tunables that keep freed memory in the process
// (GLIBC_TUNABLES=glibc.malloc.mmap_threshold=...:glibc.malloc.trim_threshold=..., see TORCH_MALLOC_TUNABLES):
// by default glibc hands PyTorch's large activation buffers back to the OS (mmap/munmap) at every
// step, and page faults are so expensive on this VM that re-faulting them made PyTorch 5-6x slower
// (~600-770 instead of ~3900 images/s on the reference CNN, 1 thread). The reference is PyTorch at
// its best; --torch-default-malloc 1 adds a clearly labelled row without the tunables.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { DataParallelTrainer } from '@curvad/data-parallel';
import { fusedAdam, initBackend, seed } from '@curvad/runtime';
import { findPythonWithTorch, median, parseArgs, startJsonLinesChild, TORCH_MALLOC_TUNABLES } from './bench-args.js';
import { readmeRequested, writeReadmeTable } from './readme-tables.js';
import { makePredictor, makeTrainer, NETS, WORKER_MODULES } from './train-throughput-nets.js';

const args = parseArgs(process.argv.slice(2));
const RUNTIME_README = fileURLToPath(new URL('../../packages/runtime/README.md', import.meta.url));
const rounds = Number(args.rounds ?? 3);
const steps = Number(args.steps ?? 20);
const warmup = Number(args.warmup ?? 3);
const cpuSteps = Number(args['cpu-steps'] ?? 2);
const nets = (args.nets ?? 'cnn,resnet18').split(',');
const backends = (args.backends ?? 'tensorflow,wasm,cpu').split(',');
const torchThreads = (args['torch-threads'] ?? `1,${os.availableParallelism()}`).split(',').map(Number);
const workers = Number(args.workers ?? 0);
const torchDefaultMalloc = args['torch-default-malloc'] === '1';
const perNet = (net, name, fallback) => Number(args[`${net}-${name}`] ?? fallback);
const predict = (args.predict ?? '1') === '1';
const PREDICT_BATCH = { cnn: 256, resnet18: 128 };
const predictBatch = (net) => perNet(net, 'predict-batch', PREDICT_BATCH[net]);
const predictDefaultBatchSize = args['predict-default-batch-size'] === '1';
/** Row-group key and label of a net's inference rows. */
const predictKey = (net) => `${net}:predict`;
const rowLabel = (key) => {
  const [net, kind] = key.split(':');
  return kind === 'predict' ? `${NETS[net].label.replace(/, batch \d+\)$/, ')')}, predict batch ${predictBatch(net)}` : NETS[net].label;
};

/**
 * A python3 child that trains on request (see train-throughput.py), limited to `threads` threads.
 * torch.set_num_threads alone is not enough: the BLAS and OpenMP pools read their sizes from the
 * environment at start-up (with only set_num_threads(1), "1-thread" PyTorch used ~2 CPU-seconds
 * per second here), so each thread count gets its own process. OMP_WAIT_POLICY=PASSIVE: the children
 * stay alive between rounds, and with the default policy the 2-thread child's idle OpenMP threads kept
 * taking a core from whatever ran next (wasm ResNet-18 after it: 20-21 against 26-27 images/s in the
 * rounds before it; with PASSIVE 26-28 in every round, and PyTorch's own rows no slower).
 */
async function startTorch(python, threads, tunedMalloc) {
  const script = fileURLToPath(new URL('./train-throughput.py', import.meta.url));
  const limits = Object.fromEntries(['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'].map((name) => [name, String(threads)]));
  const env = { ...process.env, ...limits, OMP_WAIT_POLICY: 'PASSIVE' };
  if (tunedMalloc) env.GLIBC_TUNABLES = TORCH_MALLOC_TUNABLES;
  else delete env.GLIBC_TUNABLES;
  const child = await startJsonLinesChild(python, [script], env);
  return { version: child.hello.torch, run: (request) => child.request({ ...request, threads }), close: child.close };
}

/** Times `steps` calls of `step` after `warmup` calls; per-step wall and process-CPU milliseconds. */
async function timeSteps(step, warmupCount, stepCount) {
  for (let i = 0; i < warmupCount; i++) await step();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < stepCount; i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await step();
    wall.push(performance.now() - w0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall, cpu };
}

const results = new Map(); // key `${net}|${engine}` -> [{ wallIps, cpuIps }] per round
const notes = [];
function record(net, engine, batch, timing) {
  const key = `${net}|${engine}`;
  if (!results.has(key)) results.set(key, []);
  results.get(key).push({ wallIps: (batch * 1000) / median(timing.wall), cpuIps: (batch * 1000) / median(timing.cpu) });
}

// Which tfjs backends can run here (each checked once; the reasons are printed).
const available = [];
for (const backend of backends) {
  try {
    await initBackend({ backend, log: (line) => console.log(line) });
    available.push(backend);
  } catch (error) {
    const reason = error.message.split('. Install')[0];
    notes.push(`${backend}: skipped (${reason})`);
    console.log(`${backend}: skipped (${reason})`);
  }
}

const python = findPythonWithTorch(args.python);
const torchEngines = []; // { label, child }
if (python) {
  for (const threads of torchThreads) torchEngines.push({ label: `pytorch ${threads}t`, child: await startTorch(python, threads, true) });
  if (torchDefaultMalloc) torchEngines.push({ label: 'pytorch 1t, default glibc malloc', child: await startTorch(python, 1, false) });
}
const torch = torchEngines[0]?.child;
if (!torch) notes.push('PyTorch: skipped (no python3 on the PATH imports torch; install python3-torch)');
else {
  console.log(`PyTorch ${torch.version} via ${python}`);
  notes.push(
    `PyTorch rows run with GLIBC_TUNABLES=${TORCH_MALLOC_TUNABLES} (freed memory stays in the process; see the header comment) and OMP_WAIT_POLICY=PASSIVE (idle OpenMP threads sleep instead of spinning on a core the next row needs; see startTorch)${torchDefaultMalloc ? ', except the "default glibc malloc" row' : ''}`,
  );
}

console.log(
  `node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

for (let round = 0; round < rounds; round++) {
  for (const net of nets) {
    if (round >= perNet(net, 'rounds', rounds)) continue;
    const netSteps = perNet(net, 'steps', steps);
    const netWarmup = perNet(net, 'warmup', warmup);
    for (const backend of available) {
      if (backend === 'cpu' && round > 0) continue;
      if (backend === 'cpu' && net === 'resnet18') {
        if (round === 0) notes.push('cpu: ResNet-18 skipped (one step takes minutes on the pure-JS backend)');
        continue;
      }
      await initBackend({ backend, log: false });
      seed(0);
      const trainer = makeTrainer(net);
      const [w, s] = backend === 'cpu' ? [1, cpuSteps] : [netWarmup, netSteps];
      if (backend === 'cpu' && round === 0)
        notes.push(`cpu: ${s} timed steps after ${w} warm-up (not ${steps}): each step takes about a minute`);
      const timing = await timeSteps(trainer.step, w, s);
      trainer.dispose();
      record(net, backend, trainer.batch, timing);
      console.log(`round ${round + 1} ${net} ${backend}: ${((trainer.batch * 1000) / median(timing.wall)).toFixed(0)} img/s`);
    }
    if (workers > 1 && available.includes('wasm')) {
      // @curvad/data-parallel's DataParallelTrainer: this thread and workers-1 worker threads, one shard each.
      await initBackend({ backend: 'wasm', log: false });
      seed(0);
      const net1 = makeTrainer(net);
      const optimizer = fusedAdam(1e-3);
      const trainer = await DataParallelTrainer.create(net1.model, {
        loss: 'softmaxCrossEntropy',
        optimizer,
        threads: workers,
        workerModules: WORKER_MODULES,
      });
      const timing = await timeSteps(() => trainer.step(net1.x, net1.y), netWarmup, netSteps);
      await trainer.dispose();
      net1.dispose();
      optimizer.dispose();
      record(net, `wasm x${workers} threads (DataParallelTrainer)`, net1.batch, timing);
      console.log(`round ${round + 1} ${net} wasm x${workers} threads: ${((net1.batch * 1000) / median(timing.wall)).toFixed(0)} img/s`);
    }
    for (const { label, child } of torchEngines) {
      const reply = await child.run({ net, warmup: netWarmup, steps: netSteps });
      record(net, label, reply.batch, { wall: reply.wall_ms, cpu: reply.cpu_ms });
      console.log(`round ${round + 1} ${net} ${label}: ${((reply.batch * 1000) / median(reply.wall_ms)).toFixed(0)} img/s`);
    }
    if (!predict) continue;
    const batch = predictBatch(net);
    const predictSizes = predictDefaultBatchSize ? [batch, 32] : [batch];
    for (const backend of available.filter((b) => b !== 'cpu')) {
      await initBackend({ backend, log: false });
      for (const batchSize of predictSizes) {
        seed(0);
        const predictor = makePredictor(net, batch, batchSize);
        const timing = await timeSteps(predictor.step, netWarmup, netSteps);
        predictor.dispose();
        const engine = batchSize === batch ? backend : `${backend}, predict batchSize ${batchSize} (tfjs-layers default)`;
        record(predictKey(net), engine, batch, timing);
        console.log(`round ${round + 1} ${net} predict ${engine}: ${((batch * 1000) / median(timing.wall)).toFixed(0)} img/s`);
      }
    }
    for (const { label, child } of torchEngines) {
      const reply = await child.run({ kind: 'predict', net, batch, warmup: netWarmup, steps: netSteps });
      record(predictKey(net), label, reply.batch, { wall: reply.wall_ms, cpu: reply.cpu_ms });
      console.log(`round ${round + 1} ${net} predict ${label}: ${((reply.batch * 1000) / median(reply.wall_ms)).toFixed(0)} img/s`);
    }
  }
}
for (const { child } of torchEngines) child.close();

// Table: median over rounds; ratio = median over rounds of (tfjs img/s / PyTorch 1-thread img/s) in the same round.
const reference = `pytorch ${torchThreads[0]}t`;
const lines = [
  `| net | engine | images/s (wall) | images/s (CPU time) | vs ${reference} (wall) | vs ${reference} (CPU time) |`,
  '| --- | --- | ---: | ---: | ---: | ---: |',
];
for (const group of nets.flatMap((net) => (predict ? [net, predictKey(net)] : [net]))) {
  const ref = results.get(`${group}|${reference}`);
  for (const [key, perRound] of results) {
    const [n, engine] = key.split('|');
    if (n !== group) continue;
    const ratio = (field) => {
      if (!ref) return '-';
      const rs = perRound.map((r, i) => r[field] / (ref[i] ?? ref[0])[field]);
      return `${median(rs).toFixed(2)}x`;
    };
    lines.push(
      `| ${rowLabel(group)} | ${engine} | ${median(perRound.map((r) => r.wallIps)).toFixed(0)} | ${median(perRound.map((r) => r.cpuIps)).toFixed(0)} | ${ratio('wallIps')} | ${ratio('cpuIps')} |`,
    );
  }
}
const report = [...lines, ''];
for (const note of notes) report.push(`- ${note}`);
for (const net of nets) {
  report.push(
    `- ${net}: ${Math.min(rounds, perNet(net, 'rounds', rounds))} round(s), ${perNet(net, 'steps', steps)} timed steps after ${perNet(net, 'warmup', warmup)} warm-up per engine and round`,
  );
}
if (predict) {
  report.push(
    `- predict rows: tfjs model.predict(x, { batchSize }) with the logits read back (data()), against PyTorch model.eval() + torch.no_grad(); same steps and rounds as training; ratios against PyTorch's predict row; images/s = batch / median step time`,
  );
}
report.push(
  `- images/s (CPU time) divides by the process's CPU time, summed over threads: for "threads (DataParallelTrainer)" rows it measures work per CPU-second, not throughput`,
);
report.push(
  `- ${new Date().toISOString()}, node ${process.version}, load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`\n${report.join('\n')}`);
if (readmeRequested()) {
  // --readme 1: the table goes into packages/runtime/README.md's Benchmark section, stamped.
  writeReadmeTable(RUNTIME_README, 'train-throughput', report.join('\n'), {
    command: `node tools/bench/train-throughput.mjs ${process.argv.slice(2).join(' ')}`,
  });
}
process.exit(0);
