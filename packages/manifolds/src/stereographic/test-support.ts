/**
 * Shared fast-check arbitraries and float comparisons for the stereographic tests (test-only module,
 * not exported by the package). Points are generated from a seeded direction and a radius given as a
 * fraction of min(ball radius, cap), so every property can state how close to the boundary it goes.
 */
import { createUniformStream } from '@curvad/seeded-random';
import { fc } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

import type { Vec } from './f64-reference';

/** fast-check runs per property (issue #2 asks for at least 200). */
export const RUNS = 200;

/** Curvatures in [-2, 2], with extra weight on |k| < 1e-4 and the exact values 0, +-1e-7, +-1, +-2. */
export const arbK = fc.oneof(
  fc.double({ min: -2, max: 2, noNaN: true }),
  fc.double({ min: -1e-4, max: 1e-4, noNaN: true }),
  fc.constantFrom(0, 1e-7, -1e-7, 1, -1, 2, -2),
);

export const arbDim = fc.integer({ min: 1, max: 64 });

/** Absolute cap on generated norms, so that tiny |k| does not mean astronomically large points. */
export const NORM_CAP = 1.5;

/** A deterministic generator of standard-normal numbers (the workspace's one generator + Box-Muller). */
export function normalStream(seed: number): () => number {
  const uniform = createUniformStream(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Largest norm a generated point may have at curvature k: min(1/sqrt|k|, NORM_CAP). */
export function normScale(k: number): number {
  return k === 0 ? NORM_CAP : Math.min(1 / Math.sqrt(Math.abs(k)), NORM_CAP);
}

/** `rows` vectors of dimension `dim` with norms fraction * normScale(k) (fractions cycle over `fractions`). */
export function makeRows(seed: number, rows: number, dim: number, k: number, fractions: number[]): Vec[] {
  const next = normalStream(seed);
  const scale = normScale(k);
  return Array.from({ length: rows }, (_, row) => {
    const v = Array.from({ length: dim }, () => next());
    const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
    const target = fractions[row % fractions.length]! * scale;
    return v.map((x) => Math.fround((x / n) * target));
  });
}

/** A generated case: curvature, dimension, batch size, a seed, and radius fractions per vector. */
export interface Case {
  k: number;
  dim: number;
  batch: number;
  seed: number;
  fractions: number[];
}

/** Cases whose vectors have norms up to maxFraction of min(radius, NORM_CAP). */
export function arbCase(maxFraction: number, vectors = 3): fc.Arbitrary<Case> {
  return fc.record({
    k: arbK,
    dim: arbDim,
    batch: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    fractions: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: maxFraction, noNaN: true })), {
      minLength: vectors,
      maxLength: vectors,
    }),
  });
}

/** The i-th [batch, dim] block of vectors of a case (each block uses its own seed and radius fraction). */
export function caseRows(c: Case, i: number): Vec[] {
  return makeRows(c.seed + 7919 * i, c.batch, c.dim, c.k, [c.fractions[i % c.fractions.length]!]);
}

/** The float32 value of k, which is what the tensors see. */
export const f32 = Math.fround;

export function toTensor(rows: Vec[]): tf.Tensor2D {
  return tf.tensor2d(rows);
}

export function rowsOf(t: tf.Tensor): Vec[] {
  const data = Array.from(t.dataSync());
  const dim = t.shape[t.rank - 1]!;
  const rows = t.rank === 1 ? 1 : t.shape[0]!;
  return Array.from({ length: rows }, (_, r) => data.slice(r * dim, (r + 1) * dim));
}

function vecNorm(v: Vec): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

/** Absolute error floor of the comparisons: far below float32 resolution of unit-scale values. */
export const ABS_FLOOR = 1e-12;

/**
 * Row-wise |actual - expected| <= rtol * max(|expected|, scale): relative to the result, or to the size
 * of the operands (`scale`) where the result may be a cancellation of larger terms.
 */
export function expectRowsClose(actual: Vec[], expected: Vec[], rtol: number, scale = 0, label = ''): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) => {
    const e = expected[r]!;
    const err = vecNorm(row.map((v, i) => v - e[i]!));
    const bound = rtol * Math.max(vecNorm(e), scale) + ABS_FLOOR;
    if (!(err <= bound)) {
      throw new Error(
        `${label} row ${r}: error ${err} > ${bound} (|expected| ${vecNorm(e)}); got ${row.slice(0, 4)}..., expected ${e.slice(0, 4)}...`,
      );
    }
  });
}

export function expectScalarsClose(actual: number[], expected: number[], rtol: number, atol = 0, label = ''): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    const bound = rtol * Math.abs(e) + atol;
    if (!(Math.abs(a - e) <= bound)) {
      throw new Error(`${label} entry ${i}: got ${a}, expected ${e} (error ${Math.abs(a - e)} > ${bound})`);
    }
  });
}

/** Largest row norm of a set of blocks (the operand scale for cancellation-prone ops). */
export function maxNorm(...blocks: Vec[][]): number {
  return Math.max(0, ...blocks.flat().map(vecNorm));
}
