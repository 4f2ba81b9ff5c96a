#!/usr/bin/env node
// Where a reference-CNN training step on wasm spends its time: per-kernel wall milliseconds per
// step (tf.profile), minor page faults and system CPU time per step. The models train with
// @curvad/runtime's fusedAdam (train-throughput-nets.js), so Adam's update shows as one
// CurvadAdamUpdate row per variable shape instead of tf.train.adam's element-wise kernels.
//
//   pnpm --filter @curvad/runtime build && node tools/bench/train-throughput-profile.mjs
//   options: --net cnn|resnet18 --steps 5 --warmup 3
import { initBackend, seed } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { makeTrainer } from './train-throughput-nets.js';

const argv = process.argv.slice(2);
const args = {};
for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
const net = args.net ?? 'cnn';
const steps = Number(args.steps ?? 5);
const warmup = Number(args.warmup ?? 3);

await initBackend({ backend: 'wasm', log: false });
seed(0);
const trainer = makeTrainer(net);
for (let i = 0; i < warmup; i++) await trainer.step();

const u0 = process.resourceUsage();
const w0 = performance.now();
for (let i = 0; i < steps; i++) await trainer.step();
const wall = (performance.now() - w0) / steps;
const u1 = process.resourceUsage();
console.log(
  `${net}: ${wall.toFixed(1)} ms/step, ${((trainer.batch * 1000) / wall).toFixed(0)} img/s; per step: ` +
    `${((u1.minorPageFault - u0.minorPageFault) / steps).toFixed(0)} minor page faults, ` +
    `user ${((u1.userCPUTime - u0.userCPUTime) / 1000 / steps).toFixed(1)} ms, system ${((u1.systemCPUTime - u0.systemCPUTime) / 1000 / steps).toFixed(1)} ms`,
);

const totals = new Map();
for (let i = 0; i < steps; i++) {
  const profile = await tf.profile(() => trainer.step());
  for (const k of profile.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const entry = totals.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += k.kernelTimeMs;
    entry.calls += 1;
    totals.set(key, entry);
  }
}
const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
const sum = rows.reduce((s, [, e]) => s + e.ms, 0) / steps;
console.log(`kernels: ${sum.toFixed(1)} ms per step in total (profiled)`);
for (const [key, e] of rows.slice(0, Number(args.top ?? 30))) {
  console.log(`${(e.ms / steps).toFixed(2).padStart(8)} ms  x${(e.calls / steps).toFixed(0).padStart(3)}  ${key}`);
}
trainer.dispose();
