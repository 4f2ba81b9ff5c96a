import * as tf from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../errors';

export interface TensorCountDelta<T> {
  /** What `fn` returned (its tensors are still alive and counted in `numTensors`). */
  result: T;
  /** Change of tf.memory().numTensors across the call. */
  numTensors: number;
  /** Change of tf.memory().numBytes across the call. */
  numBytes: number;
}

/** Runs `fn` (sync or async) once and reports how many tensors (and bytes) it left alive, its result included. */
export async function countTensorsDelta<T>(fn: () => T | Promise<T>): Promise<TensorCountDelta<T>> {
  const before = tf.memory();
  const result = await fn();
  const after = tf.memory();
  return { result, numTensors: after.numTensors - before.numTensors, numBytes: after.numBytes - before.numBytes };
}

export interface NoLeakOptions {
  /** Calls before measuring, for one-time allocations (optimizer slots, caches). Default 1. */
  warmupRuns?: number;
  /** Measured calls. Default 3. */
  runs?: number;
  /** Dispose what `fn` returns after each call (tensors in any nesting). Default true. */
  disposeResult?: boolean;
  /** Name used in the error message. */
  label?: string;
}

function disposeTensors(value: unknown): void {
  if (value instanceof tf.Tensor) value.dispose();
  else if (Array.isArray(value)) value.forEach(disposeTensors);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    Object.values(value).forEach(disposeTensors);
  }
}

/**
 * Throws unless repeated calls of `fn` leave tf.memory().numTensors unchanged. What `fn` returns is
 * disposed after each call (unless `disposeResult: false`), so a function that returns a fresh
 * tensor and cleans up everything else passes. Warm-up calls come first and are not counted.
 *
 * @throws CurvadRuntimeError with the number of leaked tensors and bytes.
 */
export async function expectNoLeak(fn: () => unknown, options: NoLeakOptions = {}): Promise<void> {
  const { warmupRuns = 1, runs = 3, disposeResult = true, label = 'the function' } = options;
  if (!Number.isInteger(warmupRuns) || warmupRuns < 0 || !Number.isInteger(runs) || runs < 1) {
    throw new CurvadRuntimeError(`expectNoLeak needs integer warmupRuns >= 0 and runs >= 1, got ${warmupRuns} and ${runs}.`);
  }
  const call = async () => {
    const result = await fn();
    if (disposeResult) disposeTensors(result);
  };
  for (let i = 0; i < warmupRuns; i++) await call();
  const { numTensors, numBytes } = await countTensorsDelta(async () => {
    for (let i = 0; i < runs; i++) await call();
  });
  if (numTensors > 0) {
    throw new CurvadRuntimeError(
      `${label} leaked ${numTensors} tensor(s) (${numBytes} bytes) over ${runs} call(s) ` +
        `(${numTensors / runs} per call). Wrap its work in tf.tidy or dispose intermediate tensors` +
        (disposeResult ? '.' : ', or pass disposeResult: true if the leak is the returned value.'),
    );
  }
}
