// Gradients of every op (tf.grads, float32) against float64 central differences of the plain-JS
// reference: at random well-conditioned points, at zero vectors, near the ball boundary (1 - 1e-3 of the
// radius) and for tiny (1e-7) vectors; and with respect to a learnable curvature, including at k = 0.
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { arsinK, artanK, sinK, tanK } from './curvature-trig';
import * as ref from './f64-reference';
import * as m from './math';
import { arbK, makeRows, normScale, RUNS, rowsOf } from './test-support';

type Vec = ref.Vec;
type Curv = number | tf.Tensor;

/** One differentiable op: its float32 implementation and its float64 reference, on `arity` [batch, dim] inputs. */
interface GradOp {
  name: string;
  arity: number;
  tfFn: (inputs: tf.Tensor[], k: Curv) => tf.Tensor;
  refFn: (inputs: Vec[][], k: number) => number[];
  /** Skip points where the op is not differentiable or not defined (e.g. dist on its diagonal). */
  valid?: (inputs: Vec[][], k: number) => boolean;
}

const R_SCALAR = 0.7;
const rowsMap = (inputs: Vec[][], f: (...rows: Vec[]) => Vec | number): number[] =>
  inputs[0]!.flatMap((_, i) => {
    const out = f(...inputs.map((b) => b[i]!));
    return typeof out === 'number' ? [out] : out;
  });
/** W of a matvec: fixed [dim, 3] matrix, a function of dim only. */
const matrixFor = (dim: number): number[][] =>
  Array.from({ length: dim }, (_, i) => [0, 1, 2].map((j) => Math.fround(Math.sin(1 + i * 3 + j) / Math.sqrt(dim))));
const elementwise = (f: (r: number, k: number) => number) => (inputs: Vec[][], k: number) =>
  inputs[0]!.flatMap((row) => row.map((v) => f(v, k)));

const OPS: GradOp[] = [
  {
    name: 'mobiusAdd',
    arity: 2,
    tfFn: ([x, y], k) => m.mobiusAdd(x!, y!, k),
    refFn: (b, k) => rowsMap(b, (x, y) => ref.mobiusAdd(x, y!, k)),
  },
  {
    name: 'mobiusScalarMul',
    arity: 1,
    tfFn: ([x], k) => m.mobiusScalarMul(R_SCALAR, x!, k),
    refFn: (b, k) => rowsMap(b, (x) => ref.mobiusScalarMul(R_SCALAR, x, k)),
  },
  {
    name: 'mobiusMatvec',
    arity: 1,
    tfFn: ([x], k) => m.mobiusMatvec(x!, tf.tensor2d(matrixFor(x!.shape[1]!)), k),
    refFn: (b, k) => rowsMap(b, (x) => ref.mobiusMatvec(x, matrixFor(x.length), k)),
    valid: (b) => b[0]!.every((x) => ref.norm(x) > 0),
  },
  { name: 'expmap0', arity: 1, tfFn: ([u], k) => m.expmap0(u!, k), refFn: (b, k) => rowsMap(b, (u) => ref.expmap0(u, k)) },
  { name: 'logmap0', arity: 1, tfFn: ([y], k) => m.logmap0(y!, k), refFn: (b, k) => rowsMap(b, (y) => ref.logmap0(y, k)) },
  { name: 'expmap', arity: 2, tfFn: ([x, u], k) => m.expmap(x!, u!, k), refFn: (b, k) => rowsMap(b, (x, u) => ref.expmap(x, u!, k)) },
  { name: 'logmap', arity: 2, tfFn: ([x, y], k) => m.logmap(x!, y!, k), refFn: (b, k) => rowsMap(b, (x, y) => ref.logmap(x, y!, k)) },
  {
    name: 'dist',
    arity: 2,
    tfFn: ([x, y], k) => m.dist(x!, y!, k),
    refFn: (b, k) => rowsMap(b, (x, y) => ref.dist(x, y!, k)),
    valid: (b) => b[0]!.every((x, i) => ref.norm(ref.subV(x, b[1]![i]!)) > 1e-6),
  },
  {
    name: 'dist0',
    arity: 1,
    tfFn: ([x], k) => m.dist0(x!, k),
    refFn: (b, k) => rowsMap(b, (x) => ref.dist0(x, k)),
    valid: (b) => b[0]!.every((x) => ref.norm(x) > 1e-6),
  },
  { name: 'lambda', arity: 1, tfFn: ([x], k) => m.lambda(x!, k, false), refFn: (b, k) => rowsMap(b, (x) => ref.lambda(x, k)) },
  {
    name: 'egrad2rgrad',
    arity: 2,
    tfFn: ([x, g], k) => m.egrad2rgrad(x!, g!, k),
    refFn: (b, k) => rowsMap(b, (x, g) => ref.egrad2rgrad(x, g!, k)),
  },
  {
    name: 'inner',
    arity: 3,
    tfFn: ([x, u, v], k) => m.inner(x!, u!, v!, k),
    refFn: (b, k) => rowsMap(b, (x, u, v) => ref.inner(x, u!, v!, k)),
  },
  {
    name: 'gyration',
    arity: 3,
    tfFn: ([u, v, w], k) => m.gyration(u!, v!, w!, k),
    refFn: (b, k) => rowsMap(b, (u, v, w) => ref.gyration(u, v!, w!, k)),
  },
  {
    name: 'transp',
    arity: 3,
    tfFn: ([x, y, v], k) => m.transp(x!, y!, v!, k),
    refFn: (b, k) => rowsMap(b, (x, y, v) => ref.transp(x, y!, v!, k)),
  },
  {
    name: 'transp0',
    arity: 2,
    tfFn: ([y, v], k) => m.transp0(y!, v!, k),
    refFn: (b, k) =>
      rowsMap(b, (y, v) =>
        ref.transp(
          y.map(() => 0),
          y,
          v!,
          k,
        ),
      ),
  },
  { name: 'project', arity: 1, tfFn: ([x], k) => m.project(x!, k), refFn: (b, k) => rowsMap(b, (x) => ref.project(x, k, 4e-3)) },
  { name: 'tanK', arity: 1, tfFn: ([x], k) => tanK(x!, k), refFn: elementwise(ref.tanK) },
  { name: 'artanK', arity: 1, tfFn: ([x], k) => artanK(x!, k), refFn: elementwise(ref.artanK) },
  { name: 'sinK', arity: 1, tfFn: ([x], k) => sinK(x!, k), refFn: elementwise(ref.sinK) },
  { name: 'arsinK', arity: 1, tfFn: ([x], k) => arsinK(x!, k), refFn: elementwise(ref.arsinK) },
];

/** Fixed weights of the scalar loss sum_i c_i out_i (so every output coordinate matters). */
const weight = (i: number): number => Math.cos(0.7 * i + 0.3);
const refLoss = (op: GradOp, inputs: Vec[][], k: number): number => op.refFn(inputs, k).reduce((s, v, i) => s + v * weight(i), 0);
/** `inputs` enter with weight 0 so that tf.grads returns 0 (not an error) for an input the op ignores. */
function tfLoss(out: tf.Tensor, inputs: tf.Tensor[] = []): tf.Scalar {
  const w = tf.tensor(
    Array.from({ length: out.size }, (_, i) => weight(i)),
    out.shape,
  );
  const connect = inputs.map((t) => tf.mul(0, tf.sum(t)));
  return tf.addN([tf.sum(tf.mul(out, w)), ...connect]) as tf.Scalar;
}

/** float64 central differences of the reference loss with respect to every input coordinate. */
function fdGradients(op: GradOp, inputs: Vec[][], k: number, h: number): Vec[][] {
  return inputs.map((block, b) =>
    block.map((row, r) =>
      row.map((_, j) => {
        const shifted = (delta: number): Vec[][] =>
          inputs.map((bb, bi) => (bi !== b ? bb : bb.map((rr, ri) => (ri !== r ? rr : rr.map((v, vj) => (vj === j ? v + delta : v))))));
        return (refLoss(op, shifted(h), k) - refLoss(op, shifted(-h), k)) / (2 * h);
      }),
    ),
  );
}

function tfGradients(op: GradOp, inputs: Vec[][], k: number): Vec[][] {
  return tf.tidy(() => {
    const tensors = inputs.map((b) => tf.tensor2d(b));
    const grads = tf.grads((...xs: tf.Tensor[]) => tfLoss(op.tfFn(xs, k), xs))(tensors);
    return grads.map(rowsOf);
  });
}

function expectGradientsClose(op: GradOp, inputs: Vec[][], k: number, h: number, rtol: number, label: string): void {
  const got = tfGradients(op, inputs, k);
  const want = fdGradients(op, inputs, k, h);
  got.forEach((block, b) => {
    const flatGot = block.flat();
    const flatWant = want[b]!.flat();
    expect(flatGot.every(Number.isFinite), `${label}: ${op.name} gradient ${b} not finite: ${flatGot}`).toBe(true);
    const err = Math.hypot(...flatGot.map((g, i) => g - flatWant[i]!));
    const size = Math.hypot(...flatWant);
    if (!(err <= rtol * size + 1e-6)) {
      throw new Error(
        `${label}: ${op.name} d/d(input ${b}) error ${err} > ${rtol} * ${size} (k = ${k}); got ${flatGot.slice(0, 4)}, want ${flatWant.slice(0, 4)}`,
      );
    }
  });
}

function blocksFor(op: GradOp, k: number, dim: number, batch: number, seed: number, fractions: number[]): Vec[][] {
  return Array.from({ length: op.arity }, (_, i) => makeRows(seed + 31 * i, batch, dim, k, [fractions[i % fractions.length]!]));
}

describe('gradients match float64 central differences', () => {
  test.prop(
    [
      fc.constantFrom(...OPS),
      arbK,
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 1, max: 2 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.array(fc.double({ min: 0.05, max: 0.7, noNaN: true }), { minLength: 3, maxLength: 3 }),
    ],
    { numRuns: RUNS },
  )('at random well-conditioned points, every op', (op, k, dim, batch, seed, fractions) => {
    const kk = Math.fround(k);
    const inputs = blocksFor(op, kk, dim, batch, seed, fractions);
    fc.pre(op.valid?.(inputs, kk) ?? true);
    expectGradientsClose(op, inputs, kk, 1e-6 * normScale(kk), 2e-3, 'random');
  });

  for (const op of OPS) {
    it(`${op.name}: at zero vectors (each input zero in turn, and all zero)`, () => {
      for (const k of [-1, 0, 1, -1e-7]) {
        const base = blocksFor(op, k, 5, 2, 11, [0.4, 0.5, 0.3]);
        const variants = [
          ...base.map((_, z) => base.map((b, i) => (i === z ? b.map((r) => r.map(() => 0)) : b))),
          base.map((b) => b.map((r) => r.map(() => 0))),
        ];
        for (const inputs of variants) {
          if (!(op.valid?.(inputs, k) ?? true)) continue;
          expectGradientsClose(op, inputs, k, 1e-6, 2e-3, 'zero');
        }
      }
    });

    it(`${op.name}: near the ball boundary (1 - 1e-3 of the radius) and at tiny (1e-7) vectors`, () => {
      for (const k of [-1, -0.25, -2]) {
        const r = 1 / Math.sqrt(-k);
        const nearBoundary = blocksFor(op, k, 4, 2, 5, [0.999, 0.3, 0.998]);
        if (!(op.valid?.(nearBoundary, k) ?? true)) continue;
        // Step 1e-6 r: the derivatives vary on the scale 1 - |x| = 1e-3 r (truncation error ~1e-6), and the
        // float64 reference loses ~1e-10 relative there (rounding error ~1e-4).
        expectGradientsClose(op, nearBoundary, k, 1e-6 * r, 1e-2, 'boundary');
      }
      for (const k of [-1, 1, 0.5]) {
        const tiny = Array.from({ length: op.arity }, (_, i) => makeRows(3 + i, 2, 6, 0, [1e-7 / 1.5]));
        if (!(op.valid?.(tiny, k) ?? true)) continue;
        expectGradientsClose(op, tiny, k, 1e-12, 2e-3, 'tiny');
      }
    });
  }
});

describe('gradients with respect to a learnable curvature', () => {
  function kGradient(op: GradOp, inputs: Vec[][], k: number): number {
    return tf.tidy(() => {
      const kv = tf.variable(tf.scalar(k));
      const tensors = inputs.map((b) => tf.tensor2d(b));
      const { grads } = tf.variableGrads(() => tfLoss(op.tfFn(tensors, kv)), [kv]);
      const value = grads[kv.name]!.dataSync()[0]!;
      kv.dispose();
      return value;
    });
  }

  function fdK(op: GradOp, inputs: Vec[][], k: number, h: number): number {
    return (refLoss(op, inputs, k + h) - refLoss(op, inputs, k - h)) / (2 * h);
  }

  const curvatureOps = OPS.filter((op) => !['project'].includes(op.name));

  for (const op of curvatureOps) {
    it(`${op.name}: d/dk at k = 0 is finite and matches central differences`, () => {
      const inputs = blocksFor(op, 0, 6, 2, 17, [0.6, 0.4, 0.5]);
      const got = kGradient(op, inputs, 0);
      const want = fdK(op, inputs, 0, 1e-5);
      expect(Number.isFinite(got)).toBe(true);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(2e-3 * Math.abs(want) + 1e-5);
    });
  }

  test.prop([fc.constantFrom(...curvatureOps), arbK, fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: RUNS })(
    'd/dk at random k matches central differences',
    (op, k, seed) => {
      const kk = Math.fround(k);
      const inputs = blocksFor(op, kk, 4, 2, seed, [0.5, 0.3, 0.6]);
      fc.pre(op.valid?.(inputs, kk) ?? true);
      const got = kGradient(op, inputs, kk);
      const want = fdK(op, inputs, kk, 1e-6);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(3e-3 * Math.abs(want) + 1e-5);
    },
  );

  it('project: d/dk of the clipped norm matches central differences for a point outside the margin', () => {
    const op = OPS.find((o) => o.name === 'project')!;
    const inputs = [[[0.9, 0.5, -0.2]]];
    const got = kGradient(op, inputs, -1);
    const want = fdK(op, inputs, -1, 1e-6);
    expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-3 * Math.abs(want));
  });
});
