#!/usr/bin/env node
// What bounds two threads of training on this machine. For one net on wasm it measures, in one run:
//   1. one training step on half a batch in one process alone (what each of 2 threads would do);
//   2. the same in `--processes N` processes at once (default 2): the machine's own parallel capacity,
//      with nothing shared between the processes;
//   3. the whole batch in one thread (trainOnBatch), and with DataParallelTrainer's N threads in one
//      process (@curvad/data-parallel), so that the trainer's overhead is what 3 loses against 2.
// Every configuration runs in a child process of its own, on a fresh wasm heap.
//
//   npx turbo run build --filter=@curvad/data-parallel && node tools/bench/train-throughput-capacity.mjs \
//     [--net cnn|resnet18] [--processes 2] [--steps S] [--warmup W]
//
// DataParallelTrainer's step is also broken down by phase (its lastStepTimings).
//
// Steps are timed after warm-up steps (ResNet-18's first steps fault in its wasm heap: 300,000 page
// faults in step 1, under 1,000 from step 5), median over the timed steps.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DataParallelTrainer } from '@curvad/data-parallel';
import { fusedAdam, initBackend, seed } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { NETS, WORKER_MODULES } from './train-throughput-nets.js';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const net = option('net', 'cnn');
if (NETS[net] === undefined) throw new Error(`--net must be one of ${Object.keys(NETS).join(', ')}, got ${net}`);
const processes = Number(option('processes', 2));
const steps = Number(option('steps', net === 'cnn' ? 40 : 4));
const warmup = Number(option('warmup', net === 'cnn' ? 5 : 5));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeSteps(step, afterStep = () => {}) {
  for (let i = 0; i < warmup; i++) await step();
  const times = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
    afterStep();
  }
  return median(times);
}

/** Per phase, the median over steps of DataParallelTrainer.lastStepTimings (worker phases of worker 1). */
function phaseMedians(all) {
  const phases = {};
  for (const key of ['sendMs', 'ownShardMs', 'waitMs', 'averageMs', 'applyMs', 'totalMs']) phases[key] = median(all.map((t) => t[key]));
  for (const key of ['loadMs', 'computeMs', 'writeMs']) phases[`worker ${key}`] = median(all.map((t) => t.workers[0][key]));
  return phases;
}

/** A compiled model of `net` and one random batch of `batch` images. */
function setUp(batch) {
  seed(0);
  const spec = NETS[net];
  const model = spec.build();
  model.compile({ optimizer: fusedAdam(1e-3), loss: (labels, logits) => tf.losses.softmaxCrossEntropy(labels, logits) });
  const x = tf.randomNormal([batch, ...spec.shape]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10);
  return { model, x, y };
}

/** One configuration in this (child) process: one JSON line { ms, phases? } on stdout. */
async function child(batch, threads) {
  await initBackend({ backend: 'wasm', log: false });
  const { model, x, y } = setUp(batch);
  if (threads === 1) {
    process.stdout.write(`${JSON.stringify({ ms: await timeSteps(() => model.trainOnBatch(x, y)) })}\n`);
    return;
  }
  const trainer = await DataParallelTrainer.create(model, {
    loss: 'softmaxCrossEntropy',
    optimizer: fusedAdam(1e-3),
    threads,
    workerModules: WORKER_MODULES,
  });
  const timings = [];
  const ms = await timeSteps(
    () => trainer.step(x, y),
    () => timings.push(trainer.lastStepTimings),
  );
  await trainer.dispose();
  process.stdout.write(`${JSON.stringify({ ms, phases: phaseMedians(timings) })}\n`);
}

/**
 * `count` child processes at once, each running one configuration on a fresh wasm heap (rows that
 * ran one after the other in one process disturbed each other: a later row inherits the heap the
 * earlier ones left); resolves to their { ms, phases? } results.
 */
function runChildren(count, batch, threads = 1) {
  const script = fileURLToPath(import.meta.url);
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve) => {
          const args = [
            script,
            '--child',
            String(batch),
            '--threads',
            String(threads),
            '--net',
            net,
            '--steps',
            String(steps),
            '--warmup',
            String(warmup),
          ];
          const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          proc.stdout.on('data', (chunk) => (out += chunk));
          proc.on('close', () => resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}')));
        }),
    ),
  );
}

const childFlag = process.argv.indexOf('--child');
if (childFlag >= 0) {
  await child(Number(process.argv[childFlag + 1]), Number(option('threads', 1)));
} else {
  const batch = NETS[net].batch;
  const shard = Math.ceil(batch / processes);
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(`${new Date().toISOString()}, node ${process.version}, load average ${load()}`);
  const alone = (await runChildren(1, shard))[0].ms;
  const together = (await runChildren(processes, shard)).map((r) => r.ms);
  const whole = (await runChildren(1, batch))[0].ms;
  const [{ ms: threaded, phases: lastPhases }] = await runChildren(1, batch, processes);
  const ceiling = (processes * alone) / Math.max(...together);
  console.log(`\n${NETS[net].label} on wasm, ms per step (median of ${steps} after ${warmup} warm-up):`);
  console.log(`| run | ms per step | images/s | vs 1 thread |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  const row = (label, ms, images) =>
    console.log(
      `| ${label} | ${ms.toFixed(0)} | ${((images * 1000) / ms).toFixed(1)} | ${((images * whole) / (batch * ms)).toFixed(2)}x |`,
    );
  row(`1 thread, batch ${batch} (trainOnBatch)`, whole, batch);
  row(`1 process alone, batch ${shard}`, alone, shard);
  console.log(
    `| ${processes} processes at once, batch ${shard} each | ${together.map((t) => t.toFixed(0)).join(', ')} | ${((processes * shard * 1000) / Math.max(...together)).toFixed(1)} | ${((((processes * shard * 1000) / Math.max(...together)) * whole) / (batch * 1000)).toFixed(2)}x |`,
  );
  row(`DataParallelTrainer, ${processes} threads, batch ${batch}`, threaded, batch);
  console.log(`\nDataParallelTrainer's step by phase, ms (median over the timed steps; worker = worker thread 1):`);
  console.log(`| ${Object.keys(lastPhases).join(' | ')} |`);
  console.log(
    `| ${Object.keys(lastPhases)
      .map(() => '---:')
      .join(' | ')} |`,
  );
  console.log(
    `| ${Object.values(lastPhases)
      .map((v) => v.toFixed(0))
      .join(' | ')} |`,
  );
  console.log(
    `\n- efficiency lost by halving the batch: 1 process alone on batch ${shard} does ${((shard * whole) / (batch * alone)).toFixed(2)}x the images/s of 1 thread on batch ${batch}` +
      `\n- machine ceiling for ${processes} at once (${processes} x alone / slowest together): x${ceiling.toFixed(2)} the work per second of one` +
      `\n- DataParallelTrainer's own cost per step: ${(threaded - Math.max(...together)).toFixed(0)} ms (its step against the slowest of the separate processes)` +
      `\n- load average at the end ${load()}`,
  );
}
