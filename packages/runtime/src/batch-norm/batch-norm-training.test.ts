import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CurvadRuntimeError } from '../errors';
import { readyWasm, relativeError, testValues, valuesOn } from '../test-support/backends';
import { BATCH_NORM_INPUT_GRAD } from './batch-norm-input-grad';
import { batchNormTraining, registerBatchNormTrainingKernels } from './batch-norm-training';
import { CHANNEL_MOMENTS } from './channel-moments';

const EPSILON = 1e-3;

beforeAll(async () => {
  await readyWasm();
});

interface Case {
  shape: number[];
  seed: number;
  /** Added to x: a large mean checks the two-pass variance. */
  shift: number;
}

const cases: fc.Arbitrary<Case> = fc.record({
  shape: fc.oneof(
    fc.tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 5 }),
      fc.constantFrom(3, 4, 8, 12, 16, 64),
    ),
    fc.tuple(fc.integer({ min: 1, max: 40 }), fc.constantFrom(1, 4, 5, 16, 20)),
  ),
  seed: fc.integer({ min: 1, max: 100_000 }),
  shift: fc.constantFrom(0, 0, 3, 100),
});

function inputs(c: Case) {
  const channels = c.shape[c.shape.length - 1]!;
  const x = tf.add(tf.tensor(testValues(tf.util.sizeFromShape(c.shape), c.seed), c.shape), c.shift);
  const scale = tf.add(tf.tensor1d(testValues(channels, c.seed + 1)), 1.5) as tf.Tensor1D;
  const offset = tf.tensor1d(testValues(channels, c.seed + 2));
  const weights = tf.tensor(testValues(tf.util.sizeFromShape(c.shape), c.seed + 3), c.shape);
  return { x, scale, offset, weights, axes: [...Array(c.shape.length - 1).keys()] };
}

/** y, mean and variance of batchNormTraining (fused) or tf.moments + tf.batchNorm, concatenated. */
function forward(c: Case, fused: boolean) {
  return () => {
    const { x, scale, offset, axes } = inputs(c);
    if (fused) {
      const { y, mean, variance } = batchNormTraining(x, scale, offset, EPSILON);
      return tf.concat([tf.reshape(y, [-1]), mean, variance]);
    }
    const { mean, variance } = tf.moments(x, axes);
    return tf.concat([tf.reshape(tf.batchNorm(x, mean, variance, offset, scale, EPSILON), [-1]), mean, variance]);
  };
}

/** Gradients of sum(y * weights) for x, scale and offset, concatenated. */
function gradients(c: Case, fused: boolean) {
  return () => {
    const { x, scale, offset, weights, axes } = inputs(c);
    const loss = (xv: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
      const y = fused
        ? batchNormTraining(xv, s as tf.Tensor1D, o as tf.Tensor1D, EPSILON).y
        : (() => {
            const { mean, variance } = tf.moments(xv, axes);
            return tf.batchNorm(xv, mean, variance, o as tf.Tensor1D, s as tf.Tensor1D, EPSILON);
          })();
      return tf.sum(tf.mul(y, weights));
    };
    const grads = tf.grads(loss)([x, scale, offset]);
    return tf.concat(grads.map((g) => tf.reshape(g, [-1])));
  };
}

/** float64 mean and biased variance per channel of testValues + shift. */
function float64Moments(c: Case): { mean: Float64Array; variance: Float64Array } {
  const channels = c.shape[c.shape.length - 1]!;
  const x = testValues(tf.util.sizeFromShape(c.shape), c.seed);
  const rows = x.length / channels;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  // x + shift rounded to float32, as the tensor holds it.
  const value = (i: number) => Math.fround(x[i]! + c.shift);
  for (let i = 0; i < x.length; i++) mean[i % channels] += value(i) / rows;
  for (let i = 0; i < x.length; i++) variance[i % channels] += (value(i) - mean[i % channels]!) ** 2 / rows;
  return { mean, variance };
}

describe('batchNormTraining', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    test.prop([cases], { numRuns: 30 })(`equals tf.moments + tf.batchNorm on ${backend} (y, mean, variance)`, (c) => {
      const expected = valuesOn('cpu', forward(c, false));
      const actual = valuesOn(backend, forward(c, true));
      // The statistics to float64 themselves: the composite's float32 variance loses digits at shift 100.
      const channels = c.shape[c.shape.length - 1]!;
      const size = actual.length - 2 * channels;
      expect(relativeError(actual.subarray(0, size), expected.subarray(0, size))).toBeLessThanOrEqual(1e-4);
      const { mean, variance } = float64Moments(c);
      expect(relativeError(actual.subarray(size, size + channels), mean)).toBeLessThanOrEqual(1e-5);
      expect(relativeError(actual.subarray(size + channels), variance)).toBeLessThanOrEqual(c.shift >= 100 ? 1e-3 : 1e-5);
    });

    test.prop([cases.filter((c) => c.shift < 100)], { numRuns: 30 })(
      `has the gradient of the composite (through its moments) on ${backend}, for x, scale and offset`,
      (c) => {
        const expected = valuesOn('cpu', gradients(c, false));
        const actual = valuesOn(backend, gradients(c, true));
        expect(relativeError(actual, expected)).toBeLessThanOrEqual(1e-4);
      },
    );
  }

  it('has the gradient of a float64 central difference (small case, cpu)', () => {
    const c: Case = { shape: [3, 2, 4], seed: 11, shift: 0 };
    const analytic = valuesOn('cpu', gradients(c, true));
    // float64 forward of sum(y * weights) as a function of x.
    const { scale, offset, weights } = tf.tidy(() => {
      const t = inputs(c);
      return { scale: t.scale.dataSync().slice(), offset: t.offset.dataSync().slice(), weights: t.weights.dataSync().slice() };
    });
    const channels = 4;
    const loss = (x: Float64Array) => {
      const rows = x.length / channels;
      let total = 0;
      for (let ch = 0; ch < channels; ch++) {
        let m = 0;
        for (let r = 0; r < rows; r++) m += x[r * channels + ch]! / rows;
        let v = 0;
        for (let r = 0; r < rows; r++) v += (x[r * channels + ch]! - m) ** 2 / rows;
        for (let r = 0; r < rows; r++) {
          const i = r * channels + ch;
          total += (((x[i]! - m) * scale[ch]!) / Math.sqrt(v + EPSILON) + offset[ch]!) * weights[i]!;
        }
      }
      return total;
    };
    const x0 = Float64Array.from(testValues(24, c.seed));
    const h = 1e-6;
    for (let i = 0; i < 24; i++) {
      const [up, down] = [Float64Array.from(x0), Float64Array.from(x0)];
      up[i] += h;
      down[i] -= h;
      const numeric = (loss(up) - loss(down)) / (2 * h);
      expect(Math.abs(analytic[i]! - numeric)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(numeric)));
    }
  });

  it('gives mean and variance as constants for the gradient', () => {
    const c: Case = { shape: [4, 3, 8], seed: 5, shift: 0 };
    const withStatistics = () => {
      const { x, scale, offset, weights } = inputs(c);
      const [dx] = tf.grads((xv: tf.Tensor) => {
        const { y, mean, variance } = batchNormTraining(xv, scale, offset, EPSILON);
        return tf.add(tf.sum(tf.mul(y, weights)), tf.add(tf.sum(mean), tf.sum(variance)));
      })([x]);
      return dx!;
    };
    const alone = () => tf.slice(gradients(c, true)(), 0, 96);
    expect(Array.from(valuesOn('wasm', withStatistics))).toEqual(Array.from(valuesOn('wasm', alone)));
  });

  it('runs the composite where the kernels are missing (webgl, tfjs-node), with the same values', () => {
    const c: Case = { shape: [2, 3, 3, 4], seed: 8, shift: 0 };
    const fused = valuesOn('cpu', gradients(c, true));
    tf.unregisterKernel(CHANNEL_MOMENTS, 'cpu');
    try {
      const composite = valuesOn('cpu', gradients(c, true));
      expect(relativeError(composite, fused)).toBeLessThanOrEqual(1e-5);
      // registerBatchNormTrainingKernels (called by the op) puts it back.
    } finally {
      registerBatchNormTrainingKernels();
    }
    expect(tf.getKernel(CHANNEL_MOMENTS, 'cpu')).toBeDefined();
  });

  it('runs 4 kernels over x-sized tensors forward and backward where the composite runs at least 9 (wasm)', async () => {
    const previous = tf.getBackend();
    await tf.setBackend('wasm');
    try {
      const c: Case = { shape: [4, 8, 8, 64], seed: 3, shift: 0 };
      const size = tf.util.sizeFromShape(c.shape);
      // Kernels reading or writing x-sized tensors (views, copies-on-save and customGrad's wrapper not
      // counted), less those of the same loss without the normalization (inputs, weights, sum).
      const passes = async (fn: () => tf.Tensor) => {
        const info = await tf.profile(() => fn());
        tf.dispose(info.result as tf.Tensor);
        return info.kernels.filter(
          (k) =>
            !['Identity', 'Reshape', 'Concat', 'forward'].includes(k.name) &&
            [...k.inputShapes, ...k.outputShapes].some((s) => s !== undefined && tf.util.sizeFromShape(s as number[]) === size),
        ).length;
      };
      const baseline = await passes(() => {
        const { x, scale, offset, weights } = inputs(c);
        const grads = tf.grads((xv: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.mul(xv, s), o), weights)))([
          x,
          scale,
          offset,
        ]);
        return tf.concat(grads.map((g) => tf.reshape(g, [-1])));
      });
      const fused = (await passes(gradients(c, true))) - baseline;
      const composite = (await passes(gradients(c, false))) - baseline;
      expect(fused).toBeLessThanOrEqual(4);
      expect(composite).toBeGreaterThanOrEqual(9);
    } finally {
      await tf.setBackend(previous);
    }
  });

  it('leaves no tensor behind (forward and backward, repeated)', () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      const previous = tf.getBackend();
      void tf.setBackend(backend);
      try {
        const c: Case = { shape: [2, 3, 3, 8], seed: 4, shift: 0 };
        const run = () => {
          tf.tidy(() => gradients(c, true)()).dispose();
          const out = batchNormTraining(tf.ones([2, 8]), tf.ones([8]) as tf.Tensor1D, tf.zeros([8]) as tf.Tensor1D);
          tf.dispose([out.y, out.mean, out.variance]);
        };
        run();
        const before = tf.memory().numTensors;
        for (let i = 0; i < 3; i++) tf.tidy(run);
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        void tf.setBackend(previous);
      }
    }
  });

  it('says what to fix on bad input', () => {
    const s = tf.ones([4]) as tf.Tensor1D;
    const o = tf.zeros([4]) as tf.Tensor1D;
    expect(() => batchNormTraining(tf.ones([4]), s, o)).toThrow(/rank >= 2/);
    expect(() => batchNormTraining(tf.ones([2, 4], 'int32'), s, o)).toThrow(CurvadRuntimeError);
    expect(() => batchNormTraining(tf.ones([2, 4]), tf.ones([3]) as tf.Tensor1D, o)).toThrow(/scale of shape \[4\]/);
    expect(() => batchNormTraining(tf.ones([2, 4]), s, tf.zeros([2, 2]) as unknown as tf.Tensor1D)).toThrow(/offset of shape \[4\]/);
    expect(() => batchNormTraining(tf.ones([2, 4]), s, o, 0)).toThrow(/varianceEpsilon > 0/);
    expect(() => batchNormTraining(tf.ones([2, 4]), s, o, Number.NaN)).toThrow(/varianceEpsilon > 0/);
  });
});

describe('the kernels of batchNormTraining', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`reject bad input with what they need on ${backend}`, () => {
      const previous = tf.getBackend();
      void tf.setBackend(backend);
      try {
        const run = (name: string, inputs: Record<string, tf.Tensor>) => () => tf.engine().runKernel(name, inputs);
        expect(run(CHANNEL_MOMENTS, { x: tf.ones([4]) })).toThrow(/CurvadChannelMoments needs a float32 x \[\.\.\., C\] of rank >= 2/);
        expect(run(CHANNEL_MOMENTS, { x: tf.ones([0, 4]) })).toThrow(CurvadRuntimeError);
        const [dy, x] = [tf.ones([2, 4]), tf.ones([2, 4])];
        expect(run(BATCH_NORM_INPUT_GRAD, { dy, x, coefficients: tf.ones([3, 4]) })).toThrow(/coefficients \[4, C\]/);
        expect(run(BATCH_NORM_INPUT_GRAD, { dy: tf.ones([2, 3]), x, coefficients: tf.ones([4, 4]) })).toThrow(CurvadRuntimeError);
      } finally {
        void tf.setBackend(previous);
      }
    });
  }
});
