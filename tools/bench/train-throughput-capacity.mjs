#!/usr/bin/env node
// How much the machine can run side by side: the reference CNN's trainOnBatch on half a batch
// (64 images) on wasm, first in one process alone, then in `--processes N` processes at once
// (default 2). Separates the machine's parallel capacity from DataParallelTrainer's own overhead.
//
//   pnpm --filter @curvad/runtime build && node tools/bench/train-throughput-capacity.mjs
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initBackend, seed } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { referenceCnn } from './train-throughput-nets.js';

const STEPS = 40;
const BATCH = 64;

async function child() {
  await initBackend({ backend: 'wasm', log: false });
  seed(0);
  const model = referenceCnn();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: (labels, logits) => tf.losses.softmaxCrossEntropy(labels, logits) });
  const x = tf.randomNormal([BATCH, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32'), 10);
  for (let i = 0; i < 5; i++) await model.trainOnBatch(x, y);
  const start = performance.now();
  for (let i = 0; i < STEPS; i++) await model.trainOnBatch(x, y);
  process.stdout.write(`${((performance.now() - start) / STEPS).toFixed(1)}\n`);
}

function run(count) {
  const script = fileURLToPath(import.meta.url);
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve) => {
          const proc = spawn(process.execPath, [script, '--child'], { stdio: ['ignore', 'pipe', 'ignore'] });
          let out = '';
          proc.stdout.on('data', (chunk) => (out += chunk));
          proc.on('close', () => resolve(Number(out.trim().split('\n').pop())));
        }),
    ),
  );
}

if (process.argv.includes('--child')) {
  await child();
} else {
  const flag = process.argv.indexOf('--processes');
  const processes = flag >= 0 ? Number(process.argv[flag + 1]) : 2;
  const alone = await run(1);
  const together = await run(processes);
  console.log(
    `trainOnBatch, reference CNN, ${BATCH} images, wasm: ${alone[0]} ms per step alone; ${together.join(', ')} ms in ${processes} processes at once`,
  );
  console.log(`- ${new Date().toISOString()}, node ${process.version}`);
}
