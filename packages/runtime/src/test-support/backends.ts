// Test-only helpers: run the same computation on cpu and wasm and compare.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../wasm/register-wasm-kernels';

/** Readies the wasm backend with our kernels, leaving the active backend as it was. */
export async function readyWasm(): Promise<void> {
  registerWasmTrainingKernels();
  const previous = tf.getBackend();
  await tf.setBackend('wasm');
  await tf.ready();
  await tf.setBackend(previous);
}

/** Runs `fn` with `backend` active and returns its result as float64 values (tensors disposed). */
export function valuesOn(backend: 'cpu' | 'wasm', fn: () => tf.Tensor): Float64Array {
  const previous = tf.getBackend();
  // Switching to an initialised backend is synchronous (engine.setBackend awaits only pending inits).
  void tf.setBackend(backend);
  try {
    const out = tf.tidy(fn);
    const values = Float64Array.from(out.dataSync());
    out.dispose();
    return values;
  } finally {
    void tf.setBackend(previous);
  }
}

/** max |a - b| / max |b|: the error relative to the reference's scale (elementwise relative error is meaningless at zeros). */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) return Number.POSITIVE_INFINITY;
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < reference.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - reference[i]!));
    maxRef = Math.max(maxRef, Math.abs(reference[i]!));
  }
  if (Number.isNaN(maxDiff)) return Number.POSITIVE_INFINITY;
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

/** Deterministic pseudo-random values in [-1, 1) for test inputs. */
export function testValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = ((state >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}
