import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { embeddedModuleFor } from '@curvad/wat-embed';
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, relativeError, testValues } from '../../test-support/backends';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { KERNELS_WASM_BASE64 } from './kernels-wasm';
import { pointer, simdKernels } from './simd-module';

beforeAll(readyWasm);

describe('SIMD kernels module', () => {
  it('is the compiled kernels.wat (run `pnpm --filter @curvad/runtime build:wasm` after editing the .wat)', async () => {
    const expected = await embeddedModuleFor(fileURLToPath(new URL('./kernels.wat', import.meta.url)), 'KERNELS_WASM_BASE64');
    const committed = readFileSync(fileURLToPath(new URL('./kernels-wasm.ts', import.meta.url)), 'utf8');
    expect(committed).toBe(expected);
    expect(KERNELS_WASM_BASE64.length).toBeGreaterThan(0);
  });

  it('runs on the wasm backend heap in this Node (so the SIMD paths are the ones tested)', () => {
    const previous = tf.getBackend();
    void tf.setBackend('wasm');
    try {
      const backend = tf.backend() as unknown as WasmBackendInternals;
      const kernels = simdKernels(backend);
      expect(kernels).toBeDefined();
      expect(simdKernels(backend)).toBe(kernels);
      const x = tf.tensor2d([1, 2, 3, 4, 5, 10, 20, 30, 40, 50], [2, 5]);
      const out = tf.zeros([5]);
      kernels!.column_sums(pointer(backend, x.dataId), 2, 5, pointer(backend, out.dataId));
      expect(Array.from(out.dataSync())).toEqual([11, 22, 33, 44, 55]);
      tf.dispose([x, out]);
    } finally {
      void tf.setBackend(previous);
    }
  });

  // The product's loop structure depends on n: b's rows go in L1-sized blocks (32 KiB / 4n rows,
  // 16 to 256) swept once per pair of rows of c in 2 x 16 tiles (an 8-column tail when n % 16 == 8,
  // a 1-row tail when m is odd), or, for n > 512, in 256-row blocks by 8-column panels in 4 x 8
  // tiles (a row-by-row tail for m % 4). k crosses the blocks in both.
  function expectGemmMatchesFloat64(m: number, k: number, n: number, seed: number): void {
    const a = testValues(m * k, seed);
    const aT = new Float32Array(k * m);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) aT[p * m + i] = a[i * k + p]!;
    const b = testValues(k * n, seed + 1);
    const expected = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) expected[i * n + j] += a[i * k + p]! * b[p * n + j]!;
    const previous = tf.getBackend();
    void tf.setBackend('wasm');
    try {
      const backend = tf.backend() as unknown as WasmBackendInternals;
      const [ta, taT, tb] = [tf.tensor2d(a, [m, k]), tf.tensor2d(aT, [k, m]), tf.tensor2d(b, [k, n])];
      // Overwritten, not accumulated into.
      const [out, outT] = [tf.fill([m, n], 9), tf.fill([m, n], 9)];
      const simd = simdKernels(backend)!;
      simd.gemm_unpacked(pointer(backend, ta.dataId), 4 * k, 4, pointer(backend, tb.dataId), pointer(backend, out.dataId), m, k, n);
      simd.gemm_unpacked(pointer(backend, taT.dataId), 4, 4 * m, pointer(backend, tb.dataId), pointer(backend, outT.dataId), m, k, n);
      expect(relativeError(out.dataSync(), expected)).toBeLessThanOrEqual(1e-5);
      expect(relativeError(outT.dataSync(), expected)).toBeLessThanOrEqual(1e-5);
      tf.dispose([ta, taT, tb, out, outT]);
    } finally {
      void tf.setBackend(previous);
    }
  }

  test.prop(
    [
      fc.integer({ min: 1, max: 11 }),
      fc.integer({ min: 1, max: 700 }),
      fc.constantFrom(8, 16, 24, 48, 136, 520),
      fc.integer({ min: 1, max: 1_000_000 }),
    ],
    {
      numRuns: 12,
    },
  )('gemm_unpacked equals a float64 product, with a as given or transposed', (m, k, n, seed) => {
    expectGemmMatchesFloat64(m, k, n, seed);
  });

  it.each([
    [8, 'one 8-column tile per row pair'],
    [48, '2 x 16 tiles, b in one block'],
    [136, '2 x 16 tiles and an 8-column tail, b in 60-row blocks'],
    [520, '4 x 8 tiles by column panels, b in 256-row blocks'],
  ])('gemm_unpacked with n = %i (%s) equals a float64 product for odd m and k across blocks', (n) => {
    expectGemmMatchesFloat64(7, 300, n, n);
  });

  it('gemm_unpacked with n = 0 returns without touching memory', () => {
    const previous = tf.getBackend();
    void tf.setBackend('wasm');
    try {
      const backend = tf.backend() as unknown as WasmBackendInternals;
      const simd = simdKernels(backend)!;
      const a = tf.fill([3, 2], 1);
      const guard = tf.fill([4], 7);
      simd.gemm_unpacked(pointer(backend, a.dataId), 8, 4, pointer(backend, a.dataId), pointer(backend, guard.dataId), 3, 2, 0);
      simd.gemm_unpacked_add(pointer(backend, a.dataId), 8, 4, pointer(backend, a.dataId), pointer(backend, guard.dataId), 3, 2, 0);
      expect(Array.from(guard.dataSync())).toEqual([7, 7, 7, 7]);
      tf.dispose([a, guard]);
    } finally {
      void tf.setBackend(previous);
    }
  });

  it('gemm_unpacked with k = 0 writes zeros; gemm_unpacked_add adds to what c holds', () => {
    const previous = tf.getBackend();
    void tf.setBackend('wasm');
    try {
      const backend = tf.backend() as unknown as WasmBackendInternals;
      const simd = simdKernels(backend)!;
      const [a, b] = [tf.fill([5, 3], 2), tf.fill([3, 8], 0.5)];
      const [empty, sum] = [tf.fill([5, 8], 9), tf.fill([5, 8], 1)];
      simd.gemm_unpacked(pointer(backend, a.dataId), 12, 4, pointer(backend, b.dataId), pointer(backend, empty.dataId), 5, 0, 8);
      simd.gemm_unpacked_add(pointer(backend, a.dataId), 12, 4, pointer(backend, b.dataId), pointer(backend, sum.dataId), 5, 3, 8);
      expect(Array.from(empty.dataSync())).toEqual(Array(40).fill(0));
      expect(Array.from(sum.dataSync())).toEqual(Array(40).fill(1 + 3 * 2 * 0.5));
      tf.dispose([a, b, empty, sum]);
    } finally {
      void tf.setBackend(previous);
    }
  });
});
