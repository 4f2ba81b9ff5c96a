// The detectors fitted on ID training features (Mahalanobis, KNN) as the OOD task scores them: fitted
// on the backbone feature of every model over the ID training rows (class ids as labels), then
// scoring the ID test set and every OOD set, with the numbers of a direct registry call.
import { getDetector } from '@curvad/anomaly-scores';
import type { ImageSet } from '@curvad/datasets';
import { imageSetToTensor } from '@curvad/datasets/tfjs';
import { geoDetectorModel } from '@curvad/geo-layers/scores';
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FloatImages } from '../../../core/eval-images';
import { ConfigError } from '../../../experiment-error';
import { type OodConfigInput, parseOodConfig } from '../config/ood-config';
import type { ConfigurationData } from '../data/load-data';
import { type BuiltModel, buildOodModel } from '../model/build-model';
import { TINY_CLASSES, TINY_IMAGE_SHAPE, TINY_MNIST_HOLDOUT } from '../test-support';
import { scoreModel } from './score-model';

const KNN_K = 5;
const input = {
  name: 'score-model',
  ...TINY_MNIST_HOLDOUT,
  models: ['baseline', 'HiO'],
  detectors: { odin: false, mahalanobis: true, knn: true, knnK: KNN_K },
  epochs: 1,
  batchSize: 8,
  trials: 1,
  seed: 3,
} satisfies OodConfigInput;
/** With a projection: Mahalanobis and KNN read the layer 'projection'. */
const projected = parseOodConfig({ ...input, embeddingDim: 4 });
/** Without: they read the backbone's output layer 'embedding' (16-d here, so the covariance is well posed on 60 rows). */
const direct = parseOodConfig({ ...input, backbone: { name: 'small-cnn', options: { embeddingDim: 16 } } });

/** Seeded uint8 images, labels cycling over the ID classes. */
function imageSet(rows: number, seed: number): ImageSet {
  const images = Uint8Array.from({ length: rows * 28 * 28 }, (_, i) => (i * 7919 + seed * 104729) % 256);
  return { images, labels: Uint8Array.from({ length: rows }, (_, i) => i % TINY_CLASSES), shape: [rows, ...TINY_IMAGE_SHAPE] };
}

let data: ConfigurationData;
let noise: FloatImages;
const built: BuiltModel[] = [];

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
  noise = { x: Float32Array.from({ length: 15 * 28 * 28 }, (_, i) => ((i * 31) % 97) / 97), shape: [15, ...TINY_IMAGE_SHAPE] };
  data = {
    classes: TINY_CLASSES,
    train: imageSet(60, 1),
    test: imageSet(20, 2),
    ood: [{ name: 'Noise', images: noise }],
    sources: {},
    files: {},
  };
  built.push(
    buildOodModel('baseline', projected, TINY_IMAGE_SHAPE, TINY_CLASSES, 5),
    buildOodModel('HiO', direct, TINY_IMAGE_SHAPE, TINY_CLASSES, 6),
  );
});
afterAll(() => {
  for (const b of built) b.model.dispose();
});

/** The feature layer's output on `x`, computed here from the layer's name. */
function featuresOf(b: BuiltModel, layer: string, x: tf.Tensor4D): tf.Tensor2D {
  const featureModel = tfl.model({ inputs: b.model.inputs, outputs: b.model.getLayer(layer).output as tfl.SymbolicTensor });
  return featureModel.predict(x) as tf.Tensor2D;
}

/** getDetector(name) fitted on the training rows' features (labels: class ids), scoring the ID test set then the noise set. */
function directScores(b: BuiltModel, layer: string, name: 'knn' | 'mahalanobis', options: Record<string, unknown>): Float32Array[] {
  const model = { outputs: [{ index: 0, role: 'features', space: 'euclidean' }] } as const;
  const detector = getDetector(name, options);
  const train = imageSetToTensor(data.train);
  const test = imageSetToTensor(data.test);
  const ood = tf.tensor4d(noise.x, noise.shape);
  const [trainF, testF, oodF] = [train, test, ood].map((x) => featuresOf(b, layer, x));
  try {
    detector.fit!(model, { outputs: [trainF!], labels: Array.from(data.train.labels) });
    return [detector.score(model, { outputs: [testF!] }), detector.score(model, { outputs: [oodF!] })];
  } finally {
    detector.dispose?.();
    tf.dispose([train, test, ood, trainF!, testF!, oodF!]);
  }
}

describe('scoreModel: Mahalanobis and KNN', () => {
  test('every model gets the rows, fitted on its feature layer over the ID training rows: the numbers of a direct registry call', async () => {
    const [baseline, hio] = built as [BuiltModel, BuiltModel];
    expect([baseline.featureLayer, hio.featureLayer]).toEqual(['projection', 'embedding']);
    const cases = [
      { b: baseline, config: projected, rows: ['Mahalanobis', `KNN (k=${KNN_K})`] },
      { b: hio, config: direct, rows: ['Mahalanobis +HiO', `KNN (k=${KNN_K}) +HiO`] },
    ];
    for (const { b, config, rows } of cases) {
      const scored = await scoreModel(b, config, data, ['mahalanobis', 'knn']);
      expect(scored.methods.map((m) => `${m.detector}:${m.result.method}`)).toEqual([`mahalanobis:${rows[0]}`, `knn:${rows[1]}`]);
      const [maha, knn] = scored.methods;
      expect(maha!.result.score).toBe(`mahalanobis(numClasses=3, features of layer '${b.featureLayer}', fitted on the ID training set)`);
      expect(knn!.result.score).toBe(`knn(k=${KNN_K}, features of layer '${b.featureLayer}', fitted on the ID training set)`);
      const expectedMaha = directScores(b, b.featureLayer, 'mahalanobis', { numClasses: TINY_CLASSES });
      const expectedKnn = directScores(b, b.featureLayer, 'knn', { k: KNN_K });
      expect(maha!.scores.map((s) => s.set)).toEqual(['ID', 'Noise']);
      for (const [i, expected] of expectedMaha.entries()) expect(Array.from(maha!.scores[i]!.scores)).toEqual(Array.from(expected));
      for (const [i, expected] of expectedKnn.entries()) expect(Array.from(knn!.scores[i]!.scores)).toEqual(Array.from(expected));
    }
  });

  test('fitting on the ID training rows, not the test rows: a detector fitted on the test rows gives other numbers', async () => {
    const baseline = built[0]!;
    const scored = await scoreModel(baseline, projected, data, ['knn']);
    const detector = getDetector('knn', { k: KNN_K });
    const model = { outputs: [{ index: 0, role: 'features', space: 'euclidean' }] } as const;
    const test = imageSetToTensor(data.test);
    const testF = featuresOf(baseline, 'projection', test);
    detector.fit!(model, { outputs: [testF] });
    const onTest = detector.score(model, { outputs: [testF] });
    detector.dispose?.();
    tf.dispose([test, testF]);
    expect(Array.from(scored.methods[0]!.scores[0]!.scores)).not.toEqual(Array.from(onTest));
  });

  test('the same geo model scored through geoDetectorModel with featureLayer gives the same KNN numbers', async () => {
    const hio = built[1]!;
    const scored = await scoreModel(hio, direct, data, ['knn']);
    const model = geoDetectorModel(hio.model, { featureLayer: 'embedding' });
    const detector = getDetector('knn', { k: KNN_K });
    const train = imageSetToTensor(data.train);
    const test = imageSetToTensor(data.test);
    detector.fit!(model, { x: train });
    const scores = detector.score(model, { x: test });
    detector.dispose?.();
    tf.dispose([train, test]);
    expect(Array.from(scored.methods[0]!.scores[0]!.scores)).toEqual(Array.from(scores));
  });

  test('no tensor is left behind over repeated scoring (fitted state disposed)', async () => {
    const baseline = built[0]!;
    await scoreModel(baseline, projected, data, ['mahalanobis', 'knn', 'msp']);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await scoreModel(baseline, projected, data, ['mahalanobis', 'knn', 'msp']);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('knnK above the ID training rows is a ConfigError naming the field and a value that works', async () => {
    const big = parseOodConfig({ ...input, embeddingDim: 4, detectors: { ...input.detectors, knnK: 61 } });
    const attempt = scoreModel(built[0]!, big, data, ['knn']);
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(
      'detectors.knnK = 61 but the ID training set has only 60 images, and KNN scores by the k-th nearest of them; set --set detectors.knnK=60 or lower (or train on more images: limits.train).',
    );
  });
});
