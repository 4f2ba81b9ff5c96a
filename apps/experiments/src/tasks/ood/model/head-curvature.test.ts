// Scoring and plots read each head's curvature from the model (GeoHead.curvature via geoHeadOf), the
// trained value when learned, never from config.curvatures: a model scored under a config whose
// curvatures differ from the ones it was built (or trained) with still uses its own.

import { odinScore } from '@curvad/anomaly-scores';
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { FloatImages } from '../../../core/eval-images';
import { type OodConfigInput, parseOodConfig } from '../config/ood-config';
import { embeddingPlot } from '../report/embedding-plot';
import { scoreMethods } from '../score/score-methods';
import { TINY_CLASSES, TINY_IMAGE_SHAPE, TINY_MNIST_HOLDOUT } from '../test-support';
import { buildOodModel } from './build-model';

const SHAPE = TINY_IMAGE_SHAPE;
const CLASSES = TINY_CLASSES;

const base: OodConfigInput = {
  name: 'head-curvature',
  ...TINY_MNIST_HOLDOUT,
  embeddingDim: 2,
  models: ['HiO'],
  optimizer: { name: 'adam', learningRate: 1e-3 },
  epochs: 1,
  batchSize: 8,
  trials: 1,
  limits: { train: 30, test: 30, ood: 30 },
  seed: 3,
  embeddingPlotPoints: 4,
};

function images(count: number, seed: number): FloatImages {
  const x = tf.tidy(() => tf.randomUniform([count, ...SHAPE], 0, 1, 'float32', seed).dataSync() as Float32Array);
  return { x, shape: [count, ...SHAPE] };
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

describe('the HiO curvature of scoring and plots comes from the model', () => {
  const built = () => buildOodModel('HiO', parseOodConfig({ ...base, curvatures: undefined }), SHAPE, CLASSES, 5);
  // The same run config, but its curvatures say HiO has k = -1: the model was built with the paper's -0.01.
  const otherK = parseOodConfig({ ...base, curvatures: { SiO: 1, HiO: -1, MiO: [1, -1], SiT: 1, HiT: -1, MiT: [1, -1] } });

  test("ODIN +HiO uses the head's k", () => {
    const model = built();
    const [odin] = scoreMethods(model, otherK, ['odin-hyperbolic']);
    expect(odin!.method).toBe('ODIN +HiO');
    const set = images(6, 1);
    const got = Array.from(odin!.compute([], set));
    const ball = model.spec!.outputs.find((o) => o.role === 'embedding' && o.space === 'poincare')!;
    const withK = (k: number) => {
      const x = tf.tensor4d(set.x, set.shape);
      const fn = (input: tf.Tensor) => (model.model.apply(input, { training: false }) as tf.Tensor[])[ball.index]!;
      const scores = odinScore(fn, x, {
        score: 'hyperbolic',
        k,
        epsilon: otherK.detectors.odinHyperbolicEpsilon,
        output: 'rank',
        asTensor: false,
      }) as Float32Array;
      x.dispose();
      return Array.from(scores);
    };
    expect(got).toEqual(withK(-0.01));
    // With the config's k the embeddings are not even inside its ball: what scoring did before.
    expect(() => withK(-1)).toThrow(/outside the Poincare ball/);
  });

  test("the embedding plot draws the ball of the head's k", async () => {
    const plot = await embeddingPlot(built(), otherK, [{ name: 'ID', images: images(4, 2) }]);
    expect(plot!.geometry).toBe('poincare');
    expect(plot!.radius).toBeCloseTo(10, 5); // 1 / sqrt(0.01), not the config's 1 / sqrt(1)
  });
});
