// Benchmark: @curvad/manifolds curved ops on [65536, 64] float32 next to their Euclidean
// counterparts, measured in the same run on each available backend (cpu, wasm).
//
//   cd packages/manifolds && pnpm build && cd ../.. && node tools/bench/run.mjs manifolds-ops [--rows 65536] [--dim 64] [--repeats 9] [--backends cpu,wasm]
//
// Pairs (curved on the Poincare ball, k = -1  vs  Euclidean):
//   mobiusAdd(x, y)  vs  x + y
//   dist(x, y)       vs  norm(x - y): |x - y| per row (sqrt of the summed squares)
//   expmap0(u)       vs  u * 1: the flat-space exponential map at 0 is the identity; u * 1 is the cheapest
//                        op that, like expmap0, writes a new [rows, dim] tensor
// Times are wall-clock per call (on lazy backends with a read-back of the first entry, so they finish),
// after one warm-up call, curved and Euclidean calls alternating so that load changes on a shared
// machine hit both alike; the table shows the minimum and the median over the repeats, and the
// ratio of the minimums (load only adds time). The target is ratio <= 3.
import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

// The built package (dist), through the workspace dependency: build it first.
let PoincareBall;
let distBuilt;
try {
  distBuilt = statSync(fileURLToPath(import.meta.resolve('@curvad/manifolds'))).mtime.toISOString();
  ({ PoincareBall } = await import('@curvad/manifolds'));
} catch (error) {
  console.error(`manifolds-ops: cannot load @curvad/manifolds (${error.message}); run \`cd packages/manifolds && pnpm build\` first.`);
  process.exit(1);
}

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const rows = Number(option('rows', 65536));
const dim = Number(option('dim', 64));
const repeats = Number(option('repeats', 9));
const backends = String(option('backends', 'cpu,wasm')).split(',');
const TARGET_RATIO = 3;
/** Scale of the random points: rows of norm about 0.5, well inside the unit ball. */
const POINT_SCALE = 0.5 / Math.sqrt(dim);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Backends whose kernels have finished when the op returns; the others (webgl, webgpu) queue work. */
const SYNCHRONOUS_BACKENDS = new Set(['cpu', 'wasm', 'tensorflow']);

/**
 * One call of `fn` (which returns a tensor) in tidy: wall-clock ms. On a lazy backend the first entry
 * of the result is read back too, which makes it finish the op. The whole result is never read back,
 * and on the synchronous backends nothing is: copying 16 MB out of the backend into a fresh JS
 * buffer (which even a one-entry tf.slice does on wasm) costs 4096 page faults, 50-70 ms on this VM,
 * against 2-6 ms for the ops measured, and would push every ratio towards 1.
 */
function timeOnce(fn) {
  const start = performance.now();
  const result = tf.tidy(fn);
  if (!SYNCHRONOUS_BACKENDS.has(tf.getBackend())) {
    const first = tf.tidy(() => tf.slice(tf.reshape(result, [-1]), 0, 1));
    first.dataSync();
    first.dispose();
  }
  const elapsed = performance.now() - start;
  result.dispose();
  return elapsed;
}

/**
 * Times of `curved` and of `flat`, measured alternately (flat, curved, flat, curved, ...) after one
 * warm-up call of each, so a change in machine load hits both sides alike. Returns the minimum
 * (the least disturbed call: load only ever adds time) and the median of each.
 */
function timePair(curved, flat) {
  timeOnce(flat);
  timeOnce(curved);
  const flatSamples = [];
  const curvedSamples = [];
  for (let i = 0; i < repeats; i += 1) {
    flatSamples.push(timeOnce(flat));
    curvedSamples.push(timeOnce(curved));
  }
  return {
    flatMs: Math.min(...flatSamples),
    curvedMs: Math.min(...curvedSamples),
    flatMedianMs: median(flatSamples),
    curvedMedianMs: median(curvedSamples),
  };
}

const results = [];
for (const backend of backends) {
  let ok = false;
  try {
    ok = await tf.setBackend(backend);
    await tf.ready();
  } catch (error) {
    console.error(`${backend}: unavailable (${error.message})`);
  }
  if (!ok) continue;
  const ball = PoincareBall(1);
  const x = ball.project(tf.randomNormal([rows, dim], 0, POINT_SCALE, 'float32', 1));
  const y = ball.project(tf.randomNormal([rows, dim], 0, POINT_SCALE, 'float32', 2));
  const u = tf.randomNormal([rows, dim], 0, 2 * POINT_SCALE, 'float32', 3);
  const pairs = [
    ['mobiusAdd', () => ball.mobiusAdd(x, y), 'x + y', () => tf.add(x, y)],
    ['dist', () => ball.dist(x, y), 'norm(x - y)', () => tf.sqrt(tf.sum(tf.square(tf.sub(x, y)), -1))],
    ['expmap0', () => ball.expmap0(u), 'u * 1', () => tf.mul(u, 1)],
  ];
  for (const [curvedName, curved, flatName, flat] of pairs) {
    const times = timePair(curved, flat);
    console.error(`${backend} ${curvedName}: ${times.curvedMs.toFixed(1)} ms vs ${flatName}: ${times.flatMs.toFixed(1)} ms (min)`);
    results.push({ backend, curvedName, flatName, ...times, ratio: times.curvedMs / times.flatMs });
  }
  tf.dispose([x, y, u]);
}

const fmt = (ms) => ms.toFixed(1);
console.log(
  `\nmanifolds-ops: [${rows}, ${dim}] float32, PoincareBall(1) (k = -1), ${repeats} repeats, ` +
    `${new Date().toISOString()}, Node ${process.version}, @curvad/manifolds dist built ${distBuilt}`,
);
console.log('| backend | curved op | ms (min / median) | Euclidean op | ms (min / median) | ratio of mins | within 3x |');
console.log('|---|---|---:|---|---:|---:|---|');
for (const r of results) {
  const verdict = r.ratio <= TARGET_RATIO ? 'yes' : 'no';
  console.log(
    `| ${r.backend} | ${r.curvedName} | ${fmt(r.curvedMs)} / ${fmt(r.curvedMedianMs)} | ${r.flatName} | ` +
      `${fmt(r.flatMs)} / ${fmt(r.flatMedianMs)} | ${r.ratio.toFixed(2)} | ${verdict} |`,
  );
}
