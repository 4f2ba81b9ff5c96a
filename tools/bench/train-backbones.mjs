// Benchmark: training throughput (images/s) of every @curvad/backbones backbone with a 10-class
// classifier on top, at a standard batch, on the available backends (wasm for all; cpu only for the
// small 28x28 nets, because tfjs-backend-cpu's conv filter gradient is far too slow for the rest).
// Next to each training number, the same run measures inference (predict) on the same batch as the
// reference: a training step costs about 3 forward passes, so train/infer ~ 1/3 is the expected ratio.
//
//   turbo run build --filter=@curvad/backbones... && node tools/bench/run.mjs train-backbones \
//     [--backends wasm,cpu] [--batch 32] [--steps 3] [--only conv4,resnet18] [--memory recompute]
//
// One step = softmax cross-entropy on random images and labels, SGD with momentum 0.9, the loss read
// back (so the step has finished). Times are wall-clock: median over --steps timed steps after one
// warm-up step. The machine's load average is printed, since shared cores slow every number down.
// Each backbone runs in its own Node process: a wasm abort (out of memory) must not take the
// following backbones down with it.
//
// Memory columns: "peak tensors" is tf.profile's peakBytes over one more training step after the timed
// ones: the most bytes tfjs counted as live after any kernel (weights, optimizer state, saved
// activations, gradients).
// tfjs-core 4.22 counts the bytes of every Tensor object, so tensors that share one buffer (reshapes,
// the clones the gradient tape saves) count once each: an upper bound on tensor memory, and it can
// exceed the heap. "wasm heap" is the byte length of tfjs-backend-wasm's WebAssembly.Memory after the
// timed steps: it only ever grows, so it is the process's real peak (kernel scratch and allocator
// fragmentation included); wasm32 caps it at 4 GiB.
// --memory store|recompute passes the backbones' `memory` option to every case that has one
// (default: each case's own setting below).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createBackbone, parameterCount, withClassifier } from '@curvad/backbones';
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const backends = String(option('backends', 'wasm,cpu')).split(',');
/** An explicit --batch applies to every case; without it each case runs at its own batch (default 32). */
const batchOverride = option('batch', undefined);
const batch = Number(batchOverride ?? 32);
const steps = Number(option('steps', 3));
const only = option('only', undefined)?.split(',');
const memoryOverride = option('memory', undefined);
const CLASSES = 10;
const LEARNING_RATE = 0.01;
const MOMENTUM = 0.9;

/**
 * `small`: also run on cpu. `steps`: fewer timed steps for the nets that take minutes per step.
 * `batch` and `memory`: with memory 'store', WRN-28-10 and DenseNet-BC-100-12 abort the wasm backend
 * at batch 32 ("Aborted()": what tfjs keeps for the backward pass outgrows wasm32's 4 GiB memory;
 * DenseNet's concatenations grow quadratically with depth). With memory 'recompute' (each block keeps
 * only its input and is run again during backward) both train at batch 64.
 */
const CASES = [
  { name: 'conv4', small: true },
  { name: 'lenet', small: true },
  { name: 'small-cnn', small: true },
  { name: 'resnet18' },
  { name: 'wrn-16-4' },
  { name: 'wrn-40-2' },
  { name: 'wrn-28-10', steps: 1, batch: 64, memory: 'recompute' },
  { name: 'densenet-bc-100-12', steps: 1, batch: 64, memory: 'recompute' },
  { name: 'patch-svdd-64' },
  { name: 'segmentation-unet' },
].filter((c) => only === undefined || only.includes(c.name));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function randomBatch(model, batch) {
  const inputShape = model.inputs[0].shape.slice(1);
  const outputShape = model.outputs[0].shape.slice(1, -1);
  return tf.tidy(() => {
    const x = tf.randomNormal([batch, ...inputShape], 0, 1, 'float32', 1);
    const labels = tf.randomUniform([batch, ...outputShape], 0, CLASSES, 'int32', 2);
    return { x, y: tf.oneHot(labels, CLASSES) };
  });
}

/** Bytes of tfjs-backend-wasm's WebAssembly.Memory, or undefined on another backend. */
function wasmHeapBytes() {
  return tf.getBackend() === 'wasm' ? tf.backend().wasm?.HEAPU8?.buffer.byteLength : undefined;
}

async function measure(caseSpec, batch) {
  const memory = memoryOverride ?? caseSpec.memory;
  const options = memory === undefined ? { seed: 1 } : { seed: 1, memory };
  const model = withClassifier(createBackbone(caseSpec.name, options), CLASSES);
  model.compile({
    optimizer: tf.train.momentum(LEARNING_RATE, MOMENTUM),
    loss: (yTrue, logits) => tf.losses.softmaxCrossEntropy(yTrue, logits),
  });
  const { x, y } = randomBatch(model, batch);
  const trainStep = async () => {
    const start = performance.now();
    await model.trainOnBatch(x, y);
    return performance.now() - start;
  };
  const inferStep = () => {
    const start = performance.now();
    tf.tidy(() => model.predict(x).dataSync());
    return performance.now() - start;
  };
  await trainStep();
  const trainTimes = [];
  for (let i = 0; i < (caseSpec.steps ?? steps); i++) trainTimes.push(await trainStep());
  // One more, untimed step under tf.profile for the tensor bytes. Not the warm-up: an out-of-memory abort
  // inside tf.profile surfaces as a TypeError of the profiler instead of the backend's own error.
  const profiled = await tf.profile(() => trainStep());
  inferStep();
  const inferTimes = [];
  for (let i = 0; i < (caseSpec.steps ?? steps); i++) inferTimes.push(inferStep());
  const result = {
    input: model.inputs[0].shape.slice(1).join('x'),
    params: parameterCount(model).trainable,
    trainMs: median(trainTimes),
    inferMs: median(inferTimes),
    peakTensorBytes: profiled.peakBytes,
    wasmHeapBytes: wasmHeapBytes(),
    memory: memory ?? '',
  };
  tf.dispose([x, y]);
  model.optimizer.dispose();
  model.dispose();
  return result;
}

const fmt = (n, digits = 1) => n.toFixed(digits);
const mib = (bytes) => (bytes === undefined || bytes === null ? '' : `${fmt(bytes / 2 ** 20, 0)} MiB`);

if (option('child', undefined) !== undefined) {
  // Child: one backbone on one backend; prints one JSON line.
  const caseSpec = CASES.find((c) => c.name === option('child'));
  await initBackend({ backend: option('backend'), log: false });
  const result = await measure(caseSpec, batch);
  console.log(JSON.stringify(result));
  process.exit(0);
}

const here = fileURLToPath(import.meta.url);
console.log(
  `${new Date().toISOString()}, load average ${loadavg()
    .map((l) => fmt(l, 2))
    .join(' ')} on this machine`,
);
const rows = [];
for (const backend of backends) {
  for (const caseSpec of CASES) {
    if (backend === 'cpu' && !caseSpec.small) continue;
    const caseBatch = batchOverride === undefined ? (caseSpec.batch ?? batch) : batch;
    const memoryArgs = memoryOverride === undefined ? [] : ['--memory', memoryOverride];
    const child = spawnSync(
      process.execPath,
      [
        here,
        '--child',
        caseSpec.name,
        '--backend',
        backend,
        '--batch',
        String(caseBatch),
        '--steps',
        String(caseSpec.steps ?? steps),
        ...memoryArgs,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    const json = child.stdout.split('\n').find((line) => line.startsWith('{'));
    let row;
    if (child.status === 0 && json !== undefined) {
      const r = JSON.parse(json);
      row = `| ${caseSpec.name} | ${r.input} | ${fmt(r.params / 1e6, 3)}M | ${backend} | ${caseBatch} | ${r.memory} | ${fmt((caseBatch * 1000) / r.trainMs)} | ${fmt(r.trainMs, 0)} | ${fmt((caseBatch * 1000) / r.inferMs)} | ${mib(r.peakTensorBytes)} | ${mib(r.wasmHeapBytes)} |`;
    } else {
      const lines = `${child.stderr}\n${child.stdout}`
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      const reason = lines.find((l) => /Error|Aborted/.test(l)) ?? lines.pop() ?? `exit ${child.status}`;
      row = `| ${caseSpec.name} | | | ${backend} | ${caseBatch} | ${memoryOverride ?? caseSpec.memory ?? ''} | failed: ${String(reason).slice(0, 80)} | | | | |`;
    }
    rows.push(row);
    console.log(row);
  }
}
console.log(
  `\nload average at the end: ${loadavg()
    .map((l) => fmt(l, 2))
    .join(' ')}`,
);
console.log(
  '\n| backbone | input | params (with 10-class head) | backend | batch | memory | train images/s | ms per train step | inference images/s | peak tensors | wasm heap |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
