import { createUniformStream } from '@curvad/seeded-random';
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CurvadRuntimeError } from '../errors';
import { readyWasm } from '../test-support/backends';
import { currentSeed, nextSeed, rng, seed, unseed } from './seed';

beforeAll(readyWasm);
afterEach(async () => {
  unseed();
  await tf.setBackend('cpu');
});

/**
 * Seeds, builds a small conv net with dropout (unseeded initializers), makes data with rng()
 * (standing in for augmentation), fits with shuffling, and returns the per-batch losses.
 */
async function seededLosses(n: number): Promise<number[]> {
  seed(n);
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: 0.5 }),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const count = 24;
  const images = tf.tensor4d(
    Float32Array.from({ length: count * 64 }, () => rng()),
    [count, 8, 8, 1],
  );
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: count }, () => Math.floor(rng() * 3)),
      'int32',
    ),
    3,
  );
  const losses: number[] = [];
  await model.fit(images, labels, {
    epochs: 2,
    batchSize: 8,
    shuffle: true,
    verbose: 0,
    callbacks: { onBatchEnd: async (_batch, logs) => void losses.push(logs!.loss as number) },
  });
  tf.dispose([images, labels]);
  model.dispose();
  return losses;
}

describe('seed', () => {
  it('makes init, data, shuffling and dropout reproducible on wasm, and differs across seeds', async () => {
    await tf.setBackend('wasm');
    const first = await seededLosses(7);
    const again = await seededLosses(7);
    const other = await seededLosses(8);
    expect(first).toHaveLength(6);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('covers dropout masks and explicit-seed draws through Math.random', () => {
    const mask = () => tf.tidy(() => Array.from(tf.dropout(tf.ones([64]), 0.5).dataSync()));
    seed(3);
    const a = [mask(), nextSeed()];
    seed(3);
    const b = [mask(), nextSeed()];
    expect(b).toEqual(a);
  });

  it('restores Math.random on unseed, and can leave it alone', () => {
    const original = Math.random;
    seed(1);
    expect(Math.random).not.toBe(original);
    expect(currentSeed()).toBe(1);
    unseed();
    expect(Math.random).toBe(original);
    expect(currentSeed()).toBeUndefined();
    seed(1, { patchMathRandom: false });
    expect(Math.random).toBe(original);
    const first = rng();
    seed(1, { patchMathRandom: false });
    expect(rng()).toBe(first);
  });

  it('rejects non-integer seeds', () => {
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => seed(bad)).toThrowError(CurvadRuntimeError);
    }
  });

  test.prop([fc.integer()], { numRuns: 30 })('draws lie in [0, 1) and repeat for the same seed', (n) => {
    seed(n, { patchMathRandom: false });
    const a = Array.from({ length: 50 }, rng);
    seed(n, { patchMathRandom: false });
    const b = Array.from({ length: 50 }, rng);
    expect(b).toEqual(a);
    for (const v of a) expect(v >= 0 && v < 1).toBe(true);
  });

  it("draws the workspace's one generator: rng() and Math.random after seed(n) are the mulberry32 stream of n", () => {
    seed(2026);
    const reference = createUniformStream(2026);
    expect([rng(), Math.random(), rng()]).toEqual([reference(), reference(), reference()]);
  });
});
