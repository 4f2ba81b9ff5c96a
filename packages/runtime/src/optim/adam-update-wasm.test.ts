import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { embeddedModuleFor } from '@curvad/wat-embed';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, testValues } from '../test-support/backends';
import type { WasmBackendInternals } from '../wasm/wasm-backend-internals';
import { ADAM_UPDATE, type AdamUpdateAttrs, adamUpdateLoop } from './adam-update-loop';
import { adamUpdateSimd } from './adam-update-simd';
import { ADAM_UPDATE_WASM_BASE64 } from './adam-update-wasm-bytes';
import { registerAdamUpdateKernels } from './register-adam-update';

beforeAll(async () => {
  await readyWasm();
  registerAdamUpdateKernels();
});
afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('CurvadAdamUpdate SIMD module', () => {
  it('is the compiled adam-update.wat (recompile with the command in its header after editing it)', async () => {
    const expected = await embeddedModuleFor(fileURLToPath(new URL('./adam-update.wat', import.meta.url)), 'ADAM_UPDATE_WASM_BASE64');
    const committed = readFileSync(fileURLToPath(new URL('./adam-update-wasm-bytes.ts', import.meta.url)), 'utf8');
    expect(committed).toBe(expected);
    expect(ADAM_UPDATE_WASM_BASE64.length).toBeGreaterThan(0);
  });

  it('runs on the wasm heap in this Node, and gives the JS loop bit for bit, tails of n % 4 included', async () => {
    await tf.setBackend('wasm');
    expect(adamUpdateSimd(tf.backend() as unknown as WasmBackendInternals)).toBeDefined();
    const attrs: AdamUpdateAttrs = {
      learningRate: 3e-3,
      beta1: 0.85,
      beta2: 0.995,
      epsilon: 1e-7,
      biasCorrection1: Math.fround(1 - 0.85 ** 3),
      biasCorrection2: Math.fround(1 - 0.995 ** 3),
    };
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 1001]) {
      const xs = testValues(n, 1 + n);
      const ms = testValues(n, 2 + n).map((m) => m * 0.1);
      const vs = testValues(n, 3 + n).map((v) => v * v * 10 ** ((n % 5) - 4));
      const gs = testValues(n, 4 + n).map((g, i) => (i % 11 === 0 ? 0 : g * 10 ** ((i % 7) - 3)));
      const tensors = [xs, ms, vs, gs].map((a) => tf.tensor1d(a));
      const [x, m, v, g] = tensors;
      const outputs = tf
        .engine()
        .runKernel(ADAM_UPDATE, { x: x!, m: m!, v: v!, g: g! }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const expected = [new Float32Array(n), new Float32Array(n), new Float32Array(n)] as const;
      adamUpdateLoop(xs, ms, vs, gs, ...expected, attrs);
      for (const [i, out] of outputs.entries()) expect(out.dataSync(), `n = ${n}, output ${i}`).toEqual(expected[i]);
      tf.dispose([...tensors, ...outputs]);
    }
  });
});
