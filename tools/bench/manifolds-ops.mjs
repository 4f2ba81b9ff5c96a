// Benchmark: @curvad/manifolds curved ops on [65536, 64] float32 next to their Euclidean
// counterparts, measured in the same run on each available backend (cpu, wasm).
//
//   cd packages/manifolds && pnpm build && cd ../.. && node tools/bench/run.mjs manifolds-ops [--rows 65536] [--dim 64] [--repeats 7] [--backends cpu,wasm]
//
// Pairs (curved on the Poincare ball, k = -1  vs  Euclidean):
//   mobiusAdd(x, y)  vs  x + y
//   dist(x, y)       vs  norm(x - y): |x - y| per row (sqrt of the summed squares)
//   expmap0(u)       vs  u / norm(u): u / |u| per row. expmap0 rescales each row by a function of its norm, so the
//                        flat-space work of the same shape is one row norm and one broadcast multiply
// Times are wall-clock per call (the op and a read-back of its result, so lazy backends finish),
// the median over the repeats after one warm-up call, curved and Euclidean calls alternating so
// that load changes on a shared machine hit both alike. The target is ratio <= 3.
import { performance } from 'node:perf_hooks';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

// The built package (dist), through the workspace dependency: build it first.
let PoincareBall;
try {
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
const repeats = Number(option('repeats', 7));
const backends = String(option('backends', 'cpu,wasm')).split(',');
const TARGET_RATIO = 3;
/** Scale of the random points: rows of norm about 0.5, well inside the unit ball. */
const POINT_SCALE = 0.5 / Math.sqrt(dim);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * One call of `fn` (which returns a tensor) in tidy, with its result read back: wall-clock ms.
 * The read-back happens outside tidy: tidy walks whatever it returns looking for tensors, which
 * for a 4M-entry typed array costs seconds and would swamp the measurement.
 */
function timeOnce(fn) {
  const start = performance.now();
  const result = tf.tidy(fn);
  result.dataSync();
  const elapsed = performance.now() - start;
  result.dispose();
  return elapsed;
}

/**
 * Median ms of `curved` and of `flat`, measured alternately (flat, curved, flat, curved, ...) after
 * one warm-up call of each, so a change in machine load hits both sides of the ratio alike.
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
  return { flatMs: median(flatSamples), curvedMs: median(curvedSamples) };
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
    ['expmap0', () => ball.expmap0(u), 'u / norm(u)', () => tf.div(u, tf.sqrt(tf.sum(tf.square(u), -1, true)))],
  ];
  for (const [curvedName, curved, flatName, flat] of pairs) {
    const { curvedMs, flatMs } = timePair(curved, flat);
    console.error(`${backend} ${curvedName}: ${curvedMs.toFixed(1)} ms vs ${flatName}: ${flatMs.toFixed(1)} ms`);
    results.push({ backend, curvedName, flatName, curvedMs, flatMs, ratio: curvedMs / flatMs });
  }
  tf.dispose([x, y, u]);
}

const fmt = (ms) => ms.toFixed(1);
console.log(`\nmanifolds-ops: [${rows}, ${dim}] float32, PoincareBall(1) (k = -1), median of ${repeats}, ${new Date().toISOString()}`);
console.log('| backend | curved op | ms | Euclidean op | ms | ratio | within 3x |');
console.log('|---|---|---:|---|---:|---:|---|');
for (const r of results) {
  const verdict = r.ratio <= TARGET_RATIO ? 'yes' : 'no';
  console.log(`| ${r.backend} | ${r.curvedName} | ${fmt(r.curvedMs)} | ${r.flatName} | ${fmt(r.flatMs)} | ${r.ratio.toFixed(2)} | ${verdict} |`);
}
