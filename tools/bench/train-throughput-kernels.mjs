#!/usr/bin/env node
// Per-kernel comparison behind @curvad/runtime's replaced wasm kernels: process CPU time per call
// (median of --runs, default 8) of tfjs-backend-wasm's own kernel, then of ours, in one process.
// Then the 3x3 convolutions of a CIFAR ResNet-18 step (batch 32): the forward convolution, its input
// and filter gradients, direct (XNNPACK; the filter gradient as our im2col GEMM, since the backend
// has none) against Winograd F(2x2, 3x3), F(4x4, 3x3) and the per-shape choice (`winograd` option),
// for the stride-1 convolutions of each stage and the stride-2 ones that open stages 2-4.
// Last, one Adam update of ResNet-18's variables (and of its largest one alone): tf.train.adam's ~14
// element-wise kernels per variable against @curvad/runtime's fusedAdam (one CurvadAdamUpdate pass).
//
//   npx turbo run build --filter=@curvad/runtime && node tools/bench/train-throughput-kernels.mjs [--runs 8] [--readme]
//   (--readme writes the tables into packages/runtime/README.md's Speed section, stamped)
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { fusedAdam, initBackend, registerWasmTrainingKernels } from '@curvad/runtime';
import { readmeRequested, writeReadmeTable } from './readme-tables.js';
import { cifarResNet18 } from './train-throughput-nets.js';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 8;
await initBackend({ backend: 'wasm', log: false, wasm: { replaceSlowKernels: false, winograd: [] } });

function cpuMs(fn) {
  tf.tidy(() => void fn());
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    tf.tidy(() => void fn());
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

const act = tf.randomNormal([128, 28, 28, 32]);
const pooled = tf.randomNormal([128, 14, 14, 32]);
const dy = tf.randomNormal([128, 7, 7, 64]);
const filter = tf.randomNormal([3, 3, 32, 64]);
const x = tf.randomNormal([128, 3136]);
const dense = tf.randomNormal([3136, 128]);
const dyDense = tf.randomNormal([128, 128]);
const tall = tf.randomNormal([100352, 32]);
const channel = tf.randomNormal([1, 1, 1, 32]);
// ResNet-18's batch normalization (batch 32) and the per-channel and scalar broadcasts of its gradient
// (the scalar rows show why scalars stay with the backend: ours measured no faster, so both columns
// run the backend's kernel).
const bnX = tf.randomNormal([32, 32, 32, 64]);
const bnX128 = tf.randomNormal([32, 16, 16, 128]);
const perChannel = tf.randomNormal([64]);
const perChannel4d = tf.reshape(perChannel, [1, 1, 1, 64]);
const perChannel128 = tf.randomNormal([1, 1, 1, 128]);
const bnVariance = tf.add(tf.abs(perChannel), 0.5);
const convWeights = tf.randomNormal([3, 3, 512, 512]);
const CASES = {
  'BatchMatMul x^T dy [128,3136]^T [128,128]': () => tf.matMul(x, dyDense, true, false),
  'BatchMatMul dy W^T [128,128] [3136,128]^T': () => tf.matMul(dyDense, dense, false, true),
  'Conv2DBackpropInput [128,7,7,64] -> [128,14,14,32]': () =>
    tf
      .engine()
      .runKernel('Conv2DBackpropInput', { dy, filter }, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [128, 14, 14, 32] }),
  'MaxPoolGrad 2x2 [128,28,28,32]': () =>
    tf.engine().runKernel('MaxPoolGrad', { dy: pooled, input: act, output: pooled }, { filterSize: 2, strides: 2, pad: 'valid' }),
  'Sum [0,1,2] of [128,28,28,32]': () => tf.sum(act, [0, 1, 2]),
  'Mean [0,1,2] of [128,28,28,32]': () => tf.mean(act, [0, 1, 2]),
  'Transpose [100352,32]': () => tf.transpose(tall),
  'Tile [1,1,1,32] -> [128,28,28,32]': () => tf.tile(channel, [128, 28, 28, 1]),
  'Identity [128,28,28,32]': () => tf.clone(act),
  'Cast float32 -> float32 [128,28,28,32]': () => tf.engine().runKernel('Cast', { x: act }, { dtype: 'float32' }),
  'FusedBatchNorm [32,32,32,64]': () => tf.batchNorm(bnX, perChannel, bnVariance, perChannel, perChannel, 1e-3),
  'Multiply [1,1,1,128] x [32,16,16,128]': () => tf.mul(perChannel128, bnX128),
  'Multiply [32,32,32,64] x [64]': () => tf.mul(bnX, perChannel),
  'Sub [32,32,32,64] - [1,1,1,64]': () => tf.sub(bnX, perChannel4d),
  'Add [32,32,32,64] + [64]': () => tf.add(bnX, perChannel),
  'RealDiv [32,32,32,64] / [64]': () => tf.div(bnX, bnVariance),
  'RealDiv [32,32,32,64] / scalar': () => tf.div(bnX, tf.scalar(3)),
  'Multiply [3,3,512,512] x scalar': () => tf.mul(convWeights, tf.scalar(0.9)),
};

const before = Object.fromEntries(Object.entries(CASES).map(([name, fn]) => [name, cpuMs(fn)]));
registerWasmTrainingKernels({ winograd: [2, 4] });
const report = [];
report.push(`| kernel (shapes) | tfjs-backend-wasm, CPU ms | @curvad/runtime, CPU ms |`);
report.push(`| --- | ---: | ---: |`);
for (const [name, fn] of Object.entries(CASES)) report.push(`| ${name} | ${before[name].toFixed(1)} | ${cpuMs(fn).toFixed(1)} |`);

// ResNet-18's 3x3 stride-1 convolutions, one per stage (batch 32); the stride-2 ones after them.
const STAGES = [
  [32, 64],
  [16, 128],
  [8, 256],
  [4, 512],
];
const VARIANTS = [
  ['direct', []],
  ['F(2x2)', [2]],
  ['F(4x4)', [4]],
  ['chosen', [2, 4]],
];
const convRows = [];
/** One table row per case: its CPU ms under each Winograd variant, and direct / chosen. */
function timeVariants(cases) {
  return Object.entries(cases).map(([name, fn]) => {
    const ms = VARIANTS.map(([, tiles]) => {
      registerWasmTrainingKernels({ winograd: tiles });
      return cpuMs(fn);
    });
    return `| ${name} | ${ms.map((m) => m.toFixed(1)).join(' | ')} | ${(ms[0] / ms[3]).toFixed(2)}x |`;
  });
}
for (const [size, channels] of STAGES) {
  const xs = tf.randomNormal([32, size, size, channels]);
  const ws = tf.randomNormal([3, 3, channels, channels]);
  const dys = tf.randomNormal([32, size, size, channels]);
  const convCases = {
    [`Conv2D [32,${size},${size},${channels}] 3x3`]: () => tf.conv2d(xs, ws, 1, 'same'),
    [`Conv2DBackpropInput 3x3 stride 1, ${channels} ch`]: () =>
      tf
        .engine()
        .runKernel('Conv2DBackpropInput', { dy: dys, filter: ws }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: xs.shape }),
    [`Conv2DBackpropFilter 3x3 stride 1, ${channels} ch`]: () =>
      tf
        .engine()
        .runKernel('Conv2DBackpropFilter', { x: xs, dy: dys }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: ws.shape }),
  };
  convRows.push(...timeVariants(convCases));
  tf.dispose([xs, ws, dys]);
}
// Its 3x3 stride-2 convolutions (the first of stages 2-4), Winograd's stride-2 forms against direct.
const STRIDED = [
  [32, 64, 128],
  [16, 128, 256],
  [8, 256, 512],
];
for (const [size, ci, co] of STRIDED) {
  const xs = tf.randomNormal([32, size, size, ci]);
  const ws = tf.randomNormal([3, 3, ci, co]);
  const dys = tf.randomNormal([32, size / 2, size / 2, co]);
  const convCases = {
    [`Conv2D [32,${size},${size},${ci}] 3x3 stride 2 to ${co} ch`]: () => tf.conv2d(xs, ws, 2, 'same'),
    [`Conv2DBackpropInput 3x3 stride 2, ${ci} to ${co} ch`]: () =>
      tf
        .engine()
        .runKernel('Conv2DBackpropInput', { dy: dys, filter: ws }, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: xs.shape }),
    [`Conv2DBackpropFilter 3x3 stride 2, ${ci} to ${co} ch`]: () =>
      tf
        .engine()
        .runKernel('Conv2DBackpropFilter', { x: xs, dy: dys }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: ws.shape }),
  };
  convRows.push(...timeVariants(convCases));
  tf.dispose([xs, ws, dys]);
}
report.push(`\n| ResNet-18 convolution (batch 32) | ${VARIANTS.map(([n]) => `${n}, CPU ms`).join(' | ')} | direct / chosen |`);
report.push(`| --- | ${VARIANTS.map(() => '---:').join(' | ')} | ---: |`);
report.push(...convRows);

// Adam's update on ResNet-18-sized variables: the shapes of the CIFAR ResNet-18's trainable weights,
// random values and gradients; each optimizer's first call (which creates its m and v slots) is
// cpuMs's untimed warm-up.
const resnet = cifarResNet18();
const resnetShapes = resnet.trainableWeights.map((w) => w.shape);
resnet.dispose();
const largest = resnetShapes.reduce((a, b) => (tf.util.sizeFromShape(b) > tf.util.sizeFromShape(a) ? b : a));
const adamRows = [];
for (const [label, shapes] of [
  [`CIFAR ResNet-18, ${resnetShapes.length} variables`, resnetShapes],
  [`one [${largest}] variable`, [largest]],
]) {
  const floats = shapes.reduce((n, shape) => n + tf.util.sizeFromShape(shape), 0);
  const variables = shapes.map((shape) => tf.variable(tf.randomNormal(shape)));
  const grads = Object.fromEntries(variables.map((v) => [v.name, tf.mul(tf.randomNormal(v.shape), 1e-2)]));
  const ms = [() => tf.train.adam(1e-3), () => fusedAdam(1e-3)].map((make) => {
    const optimizer = make();
    const time = cpuMs(() => optimizer.applyGradients(grads));
    optimizer.dispose();
    return time;
  });
  // fusedAdam reads x, m, v, g and writes x', m', v': 28 bytes per float.
  const gbPerS = (28 * floats) / (ms[1] * 1e6);
  adamRows.push(
    `| ${label} (${(floats / 1e6).toFixed(1)}M floats) | ${ms[0].toFixed(1)} | ${ms[1].toFixed(1)} | ${(ms[0] / ms[1]).toFixed(2)}x | ${gbPerS.toFixed(1)} |`,
  );
  tf.dispose([...variables, ...Object.values(grads)]);
}
report.push('\n| Adam update (wasm) | tf.train.adam, CPU ms | fusedAdam, CPU ms | ratio | fusedAdam GB/s (28 B per float) |');
report.push('| --- | ---: | ---: | ---: | ---: |');
report.push(...adamRows);
report.push(`\n- median of ${runs} calls each, process CPU time; ${new Date().toISOString()}, node ${process.version}`);
report.push(
  "- rows with a scalar operand run the backend's kernel in both columns: a SIMD loop like the per-channel one measured no faster on them, so they are handed back (the rows show it)",
);
console.log(report.join('\n'));
if (readmeRequested()) {
  writeReadmeTable(
    fileURLToPath(new URL('../../packages/runtime/README.md', import.meta.url)),
    'train-throughput-kernels',
    report.join('\n'),
    {
      command: `node tools/bench/train-throughput-kernels.mjs ${process.argv.slice(2).join(' ')}`,
    },
  );
}
