// The embedded wasm bytes are the compiled row-kernels.wat, and the module binds to a backend's
// memory only when it can.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { createUniformStream } from '@curvad/seeded-random';
import { embeddedModuleFor } from '@curvad/wat-embed';
import { expect, it } from 'vitest';

import { BALL_EPS, SERIES_THRESHOLD } from '../stereographic/constants';
import { rowKernelsFor, type WasmBackendLike } from './row-kernels-instance';
import { expmap0Coefficients, mobiusAddCoefficients } from './row-math';

function fakeBackend(memory: unknown): WasmBackendLike {
  return {
    wasm: { asm: { memory } },
    dataIdMap: { get: () => undefined },
    makeOutput: () => {
      throw new Error('unused');
    },
    disposeData: () => true,
  };
}

it('row-kernels-wasm.ts holds exactly the bytes wabt compiles from row-kernels.wat', async () => {
  // After editing the .wat: pnpm --filter @curvad/manifolds build:wasm
  const expected = await embeddedModuleFor(fileURLToPath(new URL('./row-kernels.wat', import.meta.url)), 'ROW_KERNELS_WASM_BASE64');
  expect(readFileSync(fileURLToPath(new URL('./row-kernels-wasm.ts', import.meta.url)), 'utf8')).toBe(expected);
}, 30_000);

it('runs its passes on a memory it imports, one instance per memory', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const kernels = rowKernelsFor(fakeBackend(memory))!;
  expect(rowKernelsFor(fakeBackend(memory))).toBe(kernels);
  const heap = new Float32Array(memory.buffer);
  // Two rows of 5 (one 4-wide vector and a 1-float tail each), x at byte 0, y at byte 64.
  const x = [1, 2, 3, 4, 5, -1, 0.5, 0, 2, -3];
  const y = [0.5, -1, 2, 0, 1, 3, 1, -2, 0, 4];
  heap.set(x, 0);
  heap.set(y, 16);
  kernels.pairDots(0, 64, 2, 5, 128);
  const dots = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
  const diff = x.map((v, i) => v - y[i]!);
  for (const r of [0, 1]) {
    const [xr, yr, dr] = [x, y, diff].map((v) => v.slice(5 * r, 5 * r + 5));
    expect(Array.from(heap.subarray(32 + 4 * r, 36 + 4 * r))).toEqual([dots(xr!, xr!), dots(yr!, yr!), dots(xr!, yr!), dots(dr!, dr!)]);
  }
  heap.fill(-1, 40, 48);
  kernels.pairStats(0, 64, 2, 5, 160);
  expect(Array.from(heap.subarray(40, 48))).toEqual([...heap.subarray(32, 35), -1, ...heap.subarray(36, 39), -1]);
  kernels.rowSquares(64, 2, 5, 192);
  expect(Array.from(heap.subarray(48, 50))).toEqual([dots(y.slice(0, 5), y.slice(0, 5)), dots(y.slice(5), y.slice(5))]);
  heap.set([2, -1, 0.5, 3], 64); // coefficients at byte 256: (a, b) per row, then reused as c per row
  kernels.combineRows(0, 64, 2, 5, 256, 320);
  expect(Array.from(heap.subarray(80, 90))).toEqual(x.map((v, i) => (i < 5 ? 2 * v - y[i]! : 0.5 * v + 3 * y[i]!)));
  kernels.scaleRows(0, 2, 5, 256, 384);
  expect(Array.from(heap.subarray(96, 106))).toEqual(x.map((v, i) => (i < 5 ? 2 * v : -v)));
});

it('declines memories it cannot import: shared (the threaded build), missing or not a Memory', () => {
  const shared = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true } as WebAssembly.MemoryDescriptor);
  expect(rowKernelsFor(fakeBackend(shared))).toBeNull();
  expect(rowKernelsFor(fakeBackend(undefined))).toBeNull();
  expect(rowKernelsFor(fakeBackend(new ArrayBuffer(8)))).toBeNull();
  expect(rowKernelsFor({ ...fakeBackend(undefined), wasm: undefined })).toBeNull();
});

/** Deterministic pseudo-random numbers in [-1, 1) (the workspace's one generator). */
function uniforms(seed: number, count: number): number[] {
  const uniform = createUniformStream(seed);
  return Array.from({ length: count }, () => 2 * uniform() - 1);
}

it('computes the Moebius and expmap0 row coefficients as row-math.ts does, to float32 roundoff', () => {
  const memory = new WebAssembly.Memory({ initial: 2 });
  const kernels = rowKernelsFor(fakeBackend(memory))!;
  const heap = new Float32Array(memory.buffer);
  // 301 rows (odd: the last one runs alone in its lane pair) of statistics of points with norms up
  // to 0.999 of the ball radius, and squared tangent norms from 0 (series) to far beyond the clip.
  const rows = 301;
  for (const k of [-2, -1, -0.3, -1e-6, 0, 0.4]) {
    const radius = k < 0 ? 1 / Math.sqrt(-k) : 1.5;
    const r = uniforms(17 + rows, 4 * rows);
    const stats = new Float32Array(4 * rows);
    for (let i = 0; i < rows; i++) {
      const nx = 0.999 * radius * Math.abs(r[4 * i]!);
      const ny = 0.999 * radius * Math.abs(r[4 * i + 1]!);
      stats.set([nx * nx, ny * ny, nx * ny * r[4 * i + 2]!, 0], 4 * i);
    }
    heap.set(stats, 0);
    const maxNorm = k < 0 ? (1 - BALL_EPS) / Math.sqrt(-k) : Infinity;
    kernels.mobiusAddCoefficients(0, rows, Math.fround(k), maxNorm, 4 * 4 * rows);
    const want = new Float64Array(2 * rows);
    mobiusAddCoefficients(stats, 0, want, 0, rows, Math.fround(k), k < 0);
    const got = heap.subarray(4 * rows, 6 * rows);
    want.forEach((w, i) => {
      expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(2e-7 * Math.max(1, Math.abs(w)));
    });
    expect(heap[6 * rows]).toBe(0); // nothing written past the last row's pair

    if (k > 0) continue; // expmap0's wasm coefficients cover k <= 0 (k > 0 needs tan: row-math.ts)
    const squares = Float32Array.from({ length: rows }, (_, i) => (i % 50 === 0 ? 0 : (8 * r[i]! * r[i]!) / Math.max(-k, 1e-6)));
    heap.set(squares, 0);
    heap[rows] = 123; // the slot after the last row stays untouched
    kernels.expmap0BallCoefficients(0, rows, Math.fround(k), SERIES_THRESHOLD, 1 - BALL_EPS);
    const wantC = new Float64Array(rows);
    expmap0Coefficients(squares, 0, wantC, 0, rows, Math.fround(k), true);
    wantC.forEach((w, i) => {
      expect(Math.abs(heap[i]! - w)).toBeLessThanOrEqual(2e-7 * Math.abs(w));
    });
    expect(heap[rows]).toBe(123);
  }
});
