// Helpers shared by the tests only (not exported from the package): float64 references in
// plain JS and a tensor-leak check.

import { createUniformStream } from '@curvad/seeded-random';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

export type Rows = number[][];

export function logSumExp64(row: readonly number[]): number {
  const m = Math.max(...row);
  return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
}

export function softmax64(row: readonly number[]): number[] {
  const lse = logSumExp64(row);
  return row.map((v) => Math.exp(v - lse));
}

export function norm64(row: readonly number[]): number {
  return Math.sqrt(row.reduce((s, v) => s + v * v, 0));
}

/** KL(softmax(a) || softmax(b)) in float64. */
export function klSoftmax64(a: readonly number[], b: readonly number[]): number {
  const la = logSumExp64(a);
  const lb = logSumExp64(b);
  return a.reduce((s, ai, i) => s + Math.exp(ai - la) * (ai - la - (b[i]! - lb)), 0);
}

/** d(e, 0) on the Poincare ball of curvature k < 0: 2/sqrt|k| artanh(sqrt|k| |e|). */
export function poincareDist0_64(row: readonly number[], k: number): number {
  const s = Math.sqrt(-k);
  return (2 / s) * Math.atanh(s * norm64(row));
}

/** Runs `fn` a few times and asserts the live tensor count does not grow. */
export function expectNoLeak(fn: () => unknown, repeats = 3): void {
  const release = (r: unknown): void => {
    if (r instanceof tf.Tensor) r.dispose();
  };
  release(fn());
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) release(fn());
  expect(tf.memory().numTensors).toBe(before);
}

export function expectClose(got: ArrayLike<number>, want: readonly number[], relTol = 1e-5, absTol = 1e-6): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Math.abs(g - w) > absTol + relTol * Math.abs(w)) {
      throw new Error(`entry ${i}: got ${g}, want ${w} (rel tol ${relTol}, abs tol ${absTol})`);
    }
  }
}

/** Deterministic pseudo-random numbers (the workspace's one generator) so float64 references see the same data. */
export function seededRandom(seed: number): () => number {
  return createUniformStream(seed);
}

export function randomRows(rows: number, cols: number, seed: number, scale = 1): Rows {
  const rand = seededRandom(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rand() * 2 - 1) * scale));
}
