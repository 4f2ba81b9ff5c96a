import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, relativeError, testValues, valuesOn } from '../test-support/backends';
import { tfjsOwnGradientRunner } from '../test-support/tfjs-own-gradient';
import { BATCH_NORM_GRAD_SUMS } from './batch-norm-grad-sums';
import { registerLeanGradients } from './register-lean-gradients';

const TOLERANCE = 1e-5;

let withStock: <T>(fn: () => T) => T;

beforeAll(async () => {
  await readyWasm();
  withStock = tfjsOwnGradientRunner('FusedBatchNorm');
});

interface Case {
  shape: number[];
  scale: boolean;
  offset: boolean;
  seed: number;
}

/** Gradients of a loss through tf.batchNorm for every input, concatenated. */
function batchNormGradients(c: Case, training: boolean) {
  return () => {
    const channels = c.shape[c.shape.length - 1]!;
    const x = tf.tensor(testValues(tf.util.sizeFromShape(c.shape), c.seed), c.shape);
    const params = [1, 2, 3, 4, 5].map((k) => tf.tensor1d(testValues(channels, c.seed + k)));
    const [mean, variance, offset, scale, weights] = params as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
    const positive = tf.add(tf.abs(variance), 0.5);
    const loss = (xv: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor, s: tf.Tensor) => {
      // As tfjs-layers trains: moments of x, then batch norm (gradients flow through the moments too).
      const moments = training ? tf.moments(xv, [...Array(c.shape.length - 1).keys()]) : undefined;
      const y = tf.batchNorm(xv, moments?.mean ?? m, moments?.variance ?? v, c.offset ? o : undefined, c.scale ? s : undefined, 1e-3);
      return tf.sum(tf.mul(tf.square(y), weights));
    };
    // Gradients with respect to the inputs the loss uses.
    const used = [true, !training, !training, c.offset, c.scale];
    const all = [x, mean, positive, offset, scale];
    const f = (...xs: tf.Tensor[]) => {
      const args = all.map((t, i) => (used[i] ? xs[used.slice(0, i).filter(Boolean).length]! : t));
      return loss(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!);
    };
    const grads = tf.grads(f)(all.filter((_, i) => used[i]));
    return tf.concat(grads.map((g) => tf.reshape(g, [-1])));
  };
}

const cases: fc.Arbitrary<Case> = fc.record({
  shape: fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom(3, 4, 8, 12)),
    fc.tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom(4, 5, 16)),
  ),
  // Always with a scale and an offset, as tfjs-layers passes them: tfjs 4.22 cannot take
  // tf.batchNorm's gradient without either (it saves or walks the missing input and fails).
  scale: fc.constant(true),
  offset: fc.constant(true),
  seed: fc.integer({ min: 1, max: 100_000 }),
});

describe('the lean FusedBatchNorm gradient', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    test.prop([cases], { numRuns: 25 })(`matches tfjs' own for every input on ${backend}, with given statistics`, (c) => {
      const expected = withStock(() => valuesOn(backend, batchNormGradients(c, false)));
      const actual = valuesOn(backend, batchNormGradients(c, false));
      expect(relativeError(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
    });

    test.prop([cases.filter((c) => c.shape.length === 4)], { numRuns: 25 })(
      `matches tfjs' own on ${backend} when the statistics are the batch's moments (training)`,
      (c) => {
        const expected = withStock(() => valuesOn(backend, batchNormGradients(c, true)));
        const actual = valuesOn(backend, batchNormGradients(c, true));
        expect(relativeError(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
      },
    );
  }

  it('replaces about ten full-size passes of the backward pass with one (ResNet-18 first-stage shape)', async () => {
    const previous = tf.getBackend();
    await tf.setBackend('wasm');
    try {
      const shape = [8, 8, 8, 64];
      const size = tf.util.sizeFromShape(shape);
      const fullSize = async () => {
        const info = await tf.profile(() => batchNormGradients({ shape, scale: true, offset: true, seed: 3 }, false)());
        tf.dispose(info.result as tf.Tensor);
        // Kernels of the backward pass writing a tensor of x's size (the forward pass writes 2: y and y^2).
        // Kernels writing a tensor of x's size, views and copies-on-save (Identity, Reshape) not counted.
        return info.kernels.filter(
          (k) => !['Identity', 'Reshape'].includes(k.name) && k.outputShapes.some((s) => tf.util.sizeFromShape(s as number[]) === size),
        ).length;
      };
      const ours = await fullSize();
      const theirs = await withStock(fullSize);
      expect(theirs - ours).toBeGreaterThanOrEqual(8);
    } finally {
      await tf.setBackend(previous);
    }
  });

  it("falls back to tfjs' own gradient on a backend without CurvadBatchNormGradSums (webgl, tfjs-node)", () => {
    const c: Case = { shape: [2, 3, 3, 4], scale: true, offset: true, seed: 8 };
    const expected = withStock(() => valuesOn('cpu', batchNormGradients(c, true)));
    tf.unregisterKernel(BATCH_NORM_GRAD_SUMS, 'cpu');
    try {
      expect(Array.from(valuesOn('cpu', batchNormGradients(c, true)))).toEqual(Array.from(expected));
    } finally {
      registerLeanGradients();
    }
    expect(tf.getKernel(BATCH_NORM_GRAD_SUMS, 'cpu')).toBeDefined();
  });

  it('leaves no tensor behind', () => {
    const c: Case = { shape: [2, 3, 3, 8], scale: true, offset: true, seed: 4 };
    const run = () => tf.tidy(() => batchNormGradients(c, true)()).dispose();
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('CurvadBatchNormGradSums', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`sums dy and dy (x - mean) per channel on ${backend}, against float64 (SIMD and loop widths)`, () => {
      for (const [rows, channels] of [
        [37, 8],
        [5, 6],
        [1, 4],
        [0, 4],
      ] as const) {
        const dy = testValues(rows * channels, 21);
        const x = testValues(rows * channels, 22);
        const mean = testValues(channels, 23);
        const expected = new Float64Array(2 * channels);
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < channels; c++) {
            const d = dy[r * channels + c]!;
            expected[c] += d;
            expected[channels + c] += d * (x[r * channels + c]! - mean[c]!);
          }
        }
        const actual = valuesOn(backend, () => {
          const outputs = tf.engine().runKernel(BATCH_NORM_GRAD_SUMS, {
            dy: tf.tensor2d(dy, [rows, channels]),
            x: tf.tensor2d(x, [rows, channels]),
            mean: tf.tensor1d(mean),
          }) as tf.Tensor[];
          expect(outputs.map((t) => t.shape)).toEqual([[channels], [channels]]);
          return tf.concat(outputs);
        });
        if (rows === 0) expect(Array.from(actual)).toEqual(Array.from(expected));
        else expect(relativeError(actual, expected)).toBeLessThanOrEqual(1e-6);
      }
    });

    it(`refuses mismatched shapes on ${backend}, saying what it needs`, () => {
      expect(() =>
        valuesOn(backend, () =>
          tf.concat(
            tf.engine().runKernel(BATCH_NORM_GRAD_SUMS, { dy: tf.zeros([2, 4]), x: tf.zeros([2, 8]), mean: tf.zeros([8]) }) as tf.Tensor[],
          ),
        ),
      ).toThrow(/float32 dy and x of one shape \[\.\.\., C\] and a float32 mean \[C\]/);
    });
  }
});
