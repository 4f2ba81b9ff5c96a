#!/usr/bin/env node
// What bounds the wasm convolutions: peak float32 multiply-add throughput (GMAC/s, one thread) of
// 128-bit wasm SIMD against native PyTorch on this CPU, measured in one run.
//
//   npx turbo run build --filter=@curvad/runtime && node tools/bench/run.mjs simd-peak
//   options: --rounds 3 --reps 5 --iters 4000000 (loop iterations of the SIMD kernels per call)
//            --mm 2048 --conv-batch 32 --python /usr/bin/python3
//            --readme (write the table into packages/runtime/README.md, stamped: readme-tables.js)
//
// Rows, interleaved round by round so that all see the same machine load:
//   (a) a wasm SIMD128 loop: acc = acc * m + a with f32x4.mul + f32x4.add into 8 and 12 independent
//       accumulators (the module is written below as WAT and compiled with the workspace's wabt, the
//       one tools/wat-embed uses), in a child `node --no-liftoff` (optimizing compiler from the start);
//   (b) the same loop with relaxed SIMD's f32x4.relaxed_madd (one fused multiply-add where the CPU
//       has FMA), in a child `node --no-liftoff --experimental-wasm-relaxed-simd` (Node 20 does not
//       enable relaxed SIMD by default); a module that does not compile or validate is reported;
//   (c) PyTorch, one thread (OMP/BLAS pools of 1, glibc malloc tunables as in train-throughput):
//       torch.mm of two 2048x2048 matrices and F.conv2d of ResNet-18's 64-channel 3x3 layer
//       (batch 32, 32x32, padding 1) (simd-peak.py);
//   (d) tfjs-backend-wasm's own XNNPACK tf.conv2d on the same layer (NHWC) and (e) its tf.matMul
//       2048x2048 (initBackend with replaceSlowKernels: false), then the same two ops with
//       @curvad/runtime's kernels registered (its SIMD GEMM; Winograd for 3x3 stride-1 convolutions,
//       which does fewer multiplies than the direct convolution: its GMAC/s counts the direct
//       convolution's MACs, so it is an effective rate and can exceed the loop's peak).
// GMAC/s = multiply-adds of one call / seconds per call, from the fastest call of each round (a peak
// is what is asked for); the table gives the median over rounds and each row as a fraction of
// PyTorch's torch.mm and conv2d in the same round (median over rounds).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { findPythonWithTorch, median, parseArgs, startJsonLinesChild, TORCH_MALLOC_TUNABLES } from './bench-args.js';
import { readmeRequested, writeReadmeTable } from './readme-tables.js';
import { ACCUMULATORS, compileLoops, LANES, UNROLL } from './simd-peak-loops.js';

const args = parseArgs(process.argv.slice(2));
const rounds = Number(args.rounds ?? 3);
const reps = Number(args.reps ?? 5);
const iters = Number(args.iters ?? 4_000_000);
const mmSize = Number(args.mm ?? 2048);
const conv = { batch: Number(args['conv-batch'] ?? 32), channels: 64, size: 32 };
const convMacs = conv.batch * conv.size * conv.size * conv.channels * conv.channels * 9;
const mmMacs = mmSize ** 3;

const gmacs = (macs, ms) => macs / ms / 1e6;

/** Fastest-call GMAC/s of each loop of `bytes` (one warm-up call each). */
function timeLoops(bytes) {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const out = {};
  for (const k of ACCUMULATORS) {
    const madd = exports[`madd${k}`];
    let check = madd(iters / 10, 0.999, 0.001);
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      check += madd(iters, 0.999, 0.001);
      best = Math.min(best, performance.now() - t0);
    }
    // Each accumulator converges to a / (1 - m) = 1 per lane: the sum is 4 k per call.
    if (!Number.isFinite(check)) throw new Error(`simd-peak: madd${k} returned ${check}; the WAT loop is wrong`);
    out[k] = gmacs(iters * UNROLL * k * LANES, best);
  }
  return out;
}

// Child mode: the loops of one kind ('plain' or 'relaxed') in a process started by loopRound.
if (args.child !== undefined) {
  try {
    console.log(JSON.stringify({ gmacs: timeLoops(await compileLoops(args.child === 'relaxed')) }));
  } catch (error) {
    console.log(JSON.stringify({ error: String(error.message ?? error).split('\n')[0] }));
  }
  process.exit(0);
}

/**
 * One round of the loops of `kind` in a child node: --no-liftoff compiles the module with V8's
 * optimizing compiler (TurboFan) at once, as hot tfjs kernels run after tier-up; with Liftoff, the
 * baseline compiler that keeps v128 locals on the stack, the first calls measured 3-8 GMAC/s.
 */
function loopRound(kind) {
  const flags = ['--no-liftoff', ...(kind === 'relaxed' ? ['--experimental-wasm-relaxed-simd'] : [])];
  const child = spawnSync(
    process.execPath,
    [...flags, fileURLToPath(import.meta.url), '--child', kind, '--iters', String(iters), '--reps', String(reps)],
    { encoding: 'utf8' },
  );
  const line = child.stdout.trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    return { error: `child exited ${child.status}: ${(child.stderr || line || '').split('\n')[0]}` };
  }
}

/**
 * simd-peak.py in a one-thread process: run(request) -> { ms, macs }. With `openblasOwnChoice`, the
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE this machine sets (older OpenBLAS builds crash on its CPU
 * without them) are removed, so OpenBLAS picks its kernels for the CPU it detects.
 */
async function startTorch(python, { openblasOwnChoice = false } = {}) {
  const one = Object.fromEntries(['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'].map((name) => [name, '1']));
  const env = { ...process.env, ...one, GLIBC_TUNABLES: TORCH_MALLOC_TUNABLES };
  if (openblasOwnChoice) {
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
  }
  const child = await startJsonLinesChild(python, [fileURLToPath(new URL('./simd-peak.py', import.meta.url))], env);
  return { hello: child.hello, run: (request) => child.request({ warmup: 1, reps, ...request }), close: child.close };
}

/** Fastest-call GMAC/s of `op` (a tfjs call whose outputs tf.tidy frees; wasm runs synchronously). */
function timeTf(tf, op, macs) {
  tf.tidy(op);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    tf.tidy(() => {
      const y = op();
      y.dataSync(); // wasm has already computed it; this only makes the wait explicit
    });
    best = Math.min(best, performance.now() - t0);
  }
  return gmacs(macs, best);
}

/** CPU facts as lscpu gives them (model, the SIMD flags that matter here). */
function cpuFacts() {
  const text = readFileSync('/proc/cpuinfo', 'utf8');
  const field = (name) => text.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1] ?? '?';
  const flags = new Set(field('flags').split(/\s+/));
  const has = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512_vnni', 'avx512_bf16'].map((f) => `${f} ${flags.has(f) ? 'yes' : 'no'}`);
  return `${field('model name')}, ${os.availableParallelism()} cores; ${has.join(', ')}`;
}

const loadNow = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// --- run ---
console.log(`node ${process.version}; ${cpuFacts()}; load ${loadNow()}`);
const tf = await import('@tensorflow/tfjs-core');
const { initBackend, registerWasmTrainingKernels } = await import('@curvad/runtime');
await initBackend({ backend: 'wasm', log: false, wasm: { replaceSlowKernels: false } });
const convX = tf.randomNormal([conv.batch, conv.size, conv.size, conv.channels]);
const convW = tf.randomNormal([3, 3, conv.channels, conv.channels]);
const mmA = tf.randomNormal([mmSize, mmSize]);
const mmB = tf.randomNormal([mmSize, mmSize]);
const SWAPPED = ['Conv2D', 'BatchMatMul'];
const kernelsOf = () => new Map(SWAPPED.map((name) => [name, tf.getKernel(name, 'wasm')]));
const xnnpackKernels = kernelsOf();
const registration = registerWasmTrainingKernels();
const runtimeKernels = kernelsOf();
/** Registers one set of Conv2D / BatchMatMul kernels (the backend's or @curvad/runtime's). */
function useKernels(kernels) {
  for (const [name, config] of kernels) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
  }
}
const convOp = () => tf.conv2d(convX, convW, 1, 'same');
const mmOp = () => tf.matMul(mmA, mmB);

const python = findPythonWithTorch(args.python);
const torch = python ? await startTorch(python) : undefined;
const coretype = process.env.OPENBLAS_CORETYPE;
// A second process without the machine's OPENBLAS_CORETYPE when one is set (--openblas-own-choice 0 skips it).
const torchOwnBlas =
  python && coretype && args['openblas-own-choice'] !== '0' ? await startTorch(python, { openblasOwnChoice: true }) : undefined;
if (torch) console.log(`PyTorch ${torch.hello.torch} via ${python}, ${torch.hello.threads} thread; BLAS: ${torch.hello.blas}`);
if (torchOwnBlas) console.log(`without OPENBLAS_CORETYPE=${coretype}: BLAS ${torchOwnBlas.hello.blas}`);
const torchBlas = torch?.hello.config.match(/BLAS_INFO=([^,\s]+)/)?.[1];
const torchCpuCapability = torch?.hello.config.match(/CPU capability usage: (\S+)/)?.[1];

const rows = new Map(); // label -> GMAC/s per round
const errors = new Set();
const recordRow = (label, value) => {
  if (!rows.has(label)) rows.set(label, []);
  rows.get(label).push(value);
};
const CONV_LABEL = `ResNet-18 3x3 conv, 64->64 ch, ${conv.batch}x${conv.size}x${conv.size}`;
const MM_LABEL = `matmul ${mmSize}x${mmSize}`;

for (let round = 0; round < rounds; round++) {
  const simd = loopRound('plain');
  if (simd.error) errors.add(`(a) SIMD128: ${simd.error}`);
  else for (const k of ACCUMULATORS) recordRow(`(a) wasm SIMD128 f32x4.mul + f32x4.add loop, ${k} accumulators`, simd.gmacs[k]);
  const relaxed = loopRound('relaxed');
  if (relaxed.error) errors.add(`(b) relaxed SIMD: ${relaxed.error}`);
  else for (const k of ACCUMULATORS) recordRow(`(b) wasm relaxed SIMD f32x4.relaxed_madd loop, ${k} accumulators`, relaxed.gmacs[k]);
  if (torch) {
    const mm = await torch.run({ op: 'mm', n: mmSize });
    recordRow(`(c) PyTorch torch.mm, ${MM_LABEL}`, gmacs(mm.macs, Math.min(...mm.ms)));
    if (torchOwnBlas) {
      const own = await torchOwnBlas.run({ op: 'mm', n: mmSize });
      recordRow(`(c) PyTorch torch.mm, ${MM_LABEL}, OPENBLAS_CORETYPE unset`, gmacs(own.macs, Math.min(...own.ms)));
    }
    const cv = await torch.run({ op: 'conv2d', ...conv });
    recordRow(`(c) PyTorch F.conv2d, ${CONV_LABEL}`, gmacs(cv.macs, Math.min(...cv.ms)));
  }
  useKernels(xnnpackKernels);
  recordRow(`(d) tfjs-backend-wasm tf.conv2d (XNNPACK), ${CONV_LABEL}`, timeTf(tf, convOp, convMacs));
  recordRow(`(e) tfjs-backend-wasm tf.matMul (XNNPACK), ${MM_LABEL}`, timeTf(tf, mmOp, mmMacs));
  useKernels(runtimeKernels);
  recordRow(`(f) tf.conv2d with @curvad/runtime kernels (Winograd), ${CONV_LABEL}, effective`, timeTf(tf, convOp, convMacs));
  recordRow(`(g) tf.matMul with @curvad/runtime kernels (SIMD GEMM), ${MM_LABEL}`, timeTf(tf, mmOp, mmMacs));
  console.log(`round ${round + 1} done, load ${loadNow()}`);
}
torch?.close();
torchOwnBlas?.close();
tf.dispose([convX, convW, mmA, mmB]);
if (!SWAPPED.every((name) => registration.replaced.includes(name)))
  errors.add(`@curvad/runtime replaced ${registration.replaced.join(', ') || 'nothing'}: rows (f) and (g) may be XNNPACK's`);

// --- table ---
const ratio = (label, reference) => {
  const ref = rows.get(reference);
  if (!ref) return '-';
  return `${median(rows.get(label).map((v, i) => v / ref[i])).toFixed(2)}`;
};
const mmRef = `(c) PyTorch torch.mm, ${MM_LABEL}`;
const convRef = `(c) PyTorch F.conv2d, ${CONV_LABEL}`;
const lines = [
  '| kernel | GMAC/s (median of rounds) | per round | fraction of PyTorch torch.mm | fraction of PyTorch conv2d |',
  '| --- | ---: | --- | ---: | ---: |',
];
for (const [label, perRound] of rows) {
  lines.push(
    `| ${label} | ${median(perRound).toFixed(1)} | ${perRound.map((v) => v.toFixed(1)).join(' / ')} | ${ratio(label, mmRef)} | ${ratio(label, convRef)} |`,
  );
}
const report = [...lines, ''];
report.push(`- CPU: ${cpuFacts()}`);
if (torch) {
  report.push(
    `- PyTorch ${torch.hello.torch}: BLAS_INFO ${torchBlas ?? '?'}, CPU capability ${torchCpuCapability ?? '?'}; OMP/BLAS pools of 1 thread, GLIBC_TUNABLES=${TORCH_MALLOC_TUNABLES}`,
  );
  report.push(
    `- torch.mm's BLAS (threadpoolctl): ${torch.hello.blas}${coretype ? ` (this machine sets OPENBLAS_CORETYPE=${coretype})` : ''}`,
  );
  if (torchOwnBlas) report.push(`- "OPENBLAS_CORETYPE unset" row: ${torchOwnBlas.hello.blas}`);
  report.push(`- PyTorch's conv2d runs on oneDNN (mkldnn), which picks its own kernels for the CPU; BLAS settings do not apply to it`);
} else report.push('- PyTorch: skipped (no python3 on the PATH imports torch; install python3-torch)');
for (const error of errors) report.push(`- ${error}`);
report.push(
  `- ${rounds} rounds; per round, each row's GMAC/s is from the fastest of ${reps} calls after one warm-up; SIMD loops: ${iters} iterations x ${UNROLL} x accumulators x 4 lanes per call; conv: ${convMacs / 1e9} GMAC per call; matmul: ${mmMacs / 1e9} GMAC per call`,
);
report.push(`- ${new Date().toISOString()}, node ${process.version}, load average at the end ${loadNow()}`);
console.log(`\n${report.join('\n')}`);
if (readmeRequested()) {
  writeReadmeTable(fileURLToPath(new URL('../../packages/runtime/README.md', import.meta.url)), 'simd-peak', report.join('\n'), {
    command: `node tools/bench/simd-peak.mjs ${process.argv.slice(2).join(' ')}`,
  });
}
process.exit(0);
