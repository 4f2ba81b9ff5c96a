// Test helpers (not exported from the package): float64 plain-JS references of the paper's formulas,
// finite-difference gradient checks and a leak check.

import { createUniformStream } from '@curvad/seeded-random';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

export type Matrix = number[][];

export const toMatrix = (t: tf.Tensor): Matrix => t.arraySync() as Matrix;

/** The workspace's one seeded generator (mulberry32), uniform in [0, 1). */
export const mulberry = (seed: number): (() => number) => createUniformStream(seed);

/** A [rows, cols] matrix of uniform numbers in [-scale, scale] from a seed. */
export function randomMatrix(rows: number, cols: number, seed: number, scale = 1): Matrix {
  const random = mulberry(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (2 * random() - 1) * scale));
}

// ---- float64 vector algebra -------------------------------------------------------------------
export const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
export const norm = (a: number[]): number => Math.sqrt(dot(a, a));
export const scale = (a: number[], s: number): number[] => a.map((v) => v * s);
export const add = (a: number[], b: number[]): number[] => a.map((v, i) => v + b[i]!);
export const column = (m: Matrix, j: number): number[] => m.map((row) => row[j]!);
export const transpose = (m: Matrix): Matrix => m[0]!.map((_, j) => column(m, j));
export const matvec = (x: number[], w: Matrix): number[] => w[0]!.map((_, j) => dot(x, column(w, j)));

/** Paper Eq. 5, Moebius addition on the ball of curvature k = -c. */
export function mobiusAdd64(x: number[], y: number[], c: number): number[] {
  const xy = dot(x, y);
  const x2 = dot(x, x);
  const y2 = dot(y, y);
  const den = 1 + 2 * c * xy + c * c * x2 * y2;
  return add(scale(x, (1 + 2 * c * xy + c * y2) / den), scale(y, (1 - c * x2) / den));
}

export function expmap0_64(u: number[], c: number): number[] {
  const n = norm(u);
  if (n === 0) return u.map(() => 0);
  return scale(u, Math.tanh(Math.sqrt(c) * n) / (Math.sqrt(c) * n));
}

/** Paper Eq. 7 (row convention x W). */
export function mobiusMatvec64(x: number[], w: Matrix, c: number): number[] {
  const mx = matvec(x, w);
  const nx = norm(x);
  const nmx = norm(mx);
  if (nx === 0 || nmx === 0) return mx.map(() => 0);
  const sc = Math.sqrt(c);
  return scale(mx, Math.tanh((nmx / nx) * Math.atanh(sc * nx)) / (sc * nmx));
}

/** Paper Eq. 8 as in Ganea et al. 2018, with -p (+) x materialized. */
export function mlrLogit64(x: number[], p: number[], a: number[], c: number): number {
  const mx = mobiusAdd64(scale(p, -1), x, c);
  const sc = Math.sqrt(c);
  const lambdaP = 2 / (1 - c * dot(p, p));
  const an = norm(a);
  return ((lambdaP * an) / sc) * Math.asinh((2 * sc * dot(mx, a)) / ((1 - c * dot(mx, mx)) * an));
}

export function expectClose(actual: Matrix | number[], expected: Matrix | number[], tol: number): void {
  const a = (actual as unknown[]).flat(2) as number[];
  const e = (expected as unknown[]).flat(2) as number[];
  expect(a.length).toBe(e.length);
  const worst = Math.max(...a.map((v, i) => Math.abs(v - e[i]!) / Math.max(1, Math.abs(e[i]!))));
  expect(worst).toBeLessThan(tol);
}

// ---- gradients -----------------------------------------------------------------------------------

/** A fixed random projection of f's output to a scalar, so every output entry matters. */
export function scalarize(y: tf.Tensor, seed = 7): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(y, tf.randomUniform(y.shape, -1, 1, 'float32', seed))) as tf.Scalar);
}

/**
 * Compare tf's gradient of a scalar function of one tensor with central finite differences
 * (step h, evaluated in float32). Tolerance relative to the largest gradient entry.
 */
export function checkGradient(f: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, options: { h?: number; tol?: number } = {}): void {
  const h = options.h ?? 1e-2;
  const tol = options.tol ?? 2e-2;
  const analytic = tf.tidy(() => tf.grad(f)(x).dataSync());
  expect(Array.from(analytic).every(Number.isFinite)).toBe(true);
  const base = x.dataSync();
  const numeric = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const plus = Float32Array.from(base);
    const minus = Float32Array.from(base);
    plus[i]! += h;
    minus[i]! -= h;
    const fp = tf.tidy(() => f(tf.tensor(plus, x.shape)).dataSync()[0]!);
    const fm = tf.tidy(() => f(tf.tensor(minus, x.shape)).dataSync()[0]!);
    numeric[i] = (fp - fm) / (2 * h);
  }
  const size = Math.max(1e-3, ...Array.from(numeric, Math.abs));
  const worst = Math.max(...Array.from(analytic, (g, i) => Math.abs(g - numeric[i]!) / size));
  expect(worst).toBeLessThan(tol);
}

/** Gradient of `loss` w.r.t. a variable, checked against finite differences by assigning to it. */
export function checkVariableGradient(loss: () => tf.Scalar, variable: tf.Variable, options: { h?: number; tol?: number } = {}): void {
  const h = options.h ?? 1e-2;
  const tol = options.tol ?? 2e-2;
  const analytic = tf.tidy(() => {
    const { grads } = tf.variableGrads(loss, [variable]);
    return grads[variable.name]!.dataSync();
  });
  expect(Array.from(analytic).every(Number.isFinite)).toBe(true);
  const original = variable.dataSync().slice();
  const numeric = new Float64Array(original.length);
  const set = (values: Float32Array) => {
    const t = tf.tensor(values, variable.shape);
    variable.assign(t);
    t.dispose();
  };
  const at = (values: Float32Array) => {
    set(values);
    return tf.tidy(() => loss().dataSync()[0]!);
  };
  for (let i = 0; i < original.length; i++) {
    const plus = Float32Array.from(original);
    const minus = Float32Array.from(original);
    plus[i]! += h;
    minus[i]! -= h;
    numeric[i] = (at(plus) - at(minus)) / (2 * h);
  }
  set(Float32Array.from(original));
  const size = Math.max(1e-3, ...Array.from(numeric, Math.abs));
  const worst = Math.max(...Array.from(analytic, (g, i) => Math.abs(g - numeric[i]!) / size));
  expect(worst).toBeLessThan(tol);
}

/** `run` must not leave tensors behind once warmed up. */
export function expectNoLeak(run: () => void, repeats = 3): void {
  run();
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) run();
  expect(tf.memory().numTensors).toBe(before);
}
