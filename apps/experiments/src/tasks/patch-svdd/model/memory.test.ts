import { createRng } from '@curvad/datasets';
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePatchSvddConfig } from '../config/patch-svdd-config';
import type { FloatImages } from '../data/patch-pairs';
import { daggerPatchScores, knnPatchScores, scaleGeometry } from '../score/score-model';
import { TINY_PATCH_SVDD } from '../test-support';
import { drawStepPairs, stepLoss } from '../train/train-model';
import { buildPatchSvdd } from './build-model';

function randomImages(n: number, side: number, seed: number): FloatImages {
  const rng = createRng(seed);
  return { pixels: Float32Array.from({ length: n * side * side }, () => rng() - 0.5), shape: [n, side, side, 1] };
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

describe('Patch-SVDD tensors', () => {
  it('a training step and both scorings leave no tensor behind (MiT: every branch)', () => {
    const config = parsePatchSvddConfig({ ...TINY_PATCH_SVDD, models: ['MiT'] });
    const built = buildPatchSvdd('MiT', config, 1, 5);
    const images = randomImages(2, 64, 1);
    const optimizer = tf.train.adam(1e-3);
    const weights = built.trainableWeights();
    const rng = createRng(3);
    const step = () => {
      const pairs = drawStepPairs(built, images, config, rng);
      optimizer.minimize(() => stepLoss(built, pairs, 1, config.svddWeight), true, weights)?.dispose();
    };
    step(); // the optimizer's slots are made on the first step
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
    for (const scale of ['large', 'small'] as const) {
      const g = scaleGeometry(built, config, 64, 64, scale);
      const dagger = daggerPatchScores(built, scale, images, g, createRng(4));
      const knn = knnPatchScores(built, scale, images, images, g);
      expect(dagger.length).toBe(2 * g.rows * g.cols);
      expect(knn.length).toBe(2 * g.rows * g.cols);
      expect([...knn].every((v) => Math.abs(v) < 1e-3)).toBe(true); // each test patch is a training patch
      expect(tf.memory().numTensors).toBe(before);
    }
    optimizer.dispose();
    built.dispose();
  });
});
