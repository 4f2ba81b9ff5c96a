import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from './cross-entropy';
import { GeoLayersError } from './errors';
import { fitGeoModel, geoAccuracy } from './fit-geo-model';
import { buildGeoModel, gio } from './heads';
import { expectNoLeak, randomMatrix } from './test-support';

function tinyModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [3] });
  return buildGeoModel(input, gio(input, { geometry: 'poincare', k: -1, classes: 2, seed: 4 }));
}

describe('softmaxCrossEntropy', () => {
  it('equals -log softmax(logits)[y] (float64 reference), for ids and one-hot labels', () => {
    const logits = [
      [2, -1, 0.5],
      [-30, 40, 0],
      [0, 0, 0],
    ];
    const labels = [0, 2, 1];
    const expected =
      labels
        .map((y, i) => {
          const row = logits[i]!;
          const m = Math.max(...row);
          return -(row[y]! - m - Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)));
        })
        .reduce((a, b) => a + b) / 3;
    tf.tidy(() => {
      expect(softmaxCrossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32')).dataSync()[0]).toBeCloseTo(expected, 4);
      expect(softmaxCrossEntropy(tf.tensor2d(logits), tf.oneHot(tf.tensor1d(labels, 'int32'), 3)).dataSync()[0]).toBeCloseTo(expected, 4);
    });
    expect(() => softmaxCrossEntropy(tf.zeros([2, 3]), tf.zeros([3]))).toThrow(GeoLayersError);
    expect(() => softmaxCrossEntropy(tf.zeros([2, 3]), tf.zeros([2, 4]))).toThrow(/one-hot/);
  });
});

describe('fitGeoModel', () => {
  const x = tf.tensor2d(randomMatrix(24, 3, 1, 2));
  const y = tf.tensor1d(
    Array.from({ length: 24 }, (_, i) => i % 2),
    'int32',
  );

  it('is reproducible with a seed, and different seeds shuffle differently', async () => {
    const run = async (seed: number) => (await fitGeoModel(tinyModel(), x, y, { epochs: 3, batchSize: 5, seed })).loss;
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  it('trains only trainable weights (a frozen layer keeps its weights)', async () => {
    const model = tinyModel();
    const ball = model.layers.find((l) => l.getClassName() === 'CurvadHypMLR')!;
    ball.trainable = false;
    const before = ball.getWeights().map((w) => Array.from(w.dataSync()));
    const input = tfl.input({ shape: [3] });
    const withDense = buildGeoModel(
      input,
      gio(tfl.layers.dense({ units: 4 }).apply(input) as tfl.SymbolicTensor, { geometry: 'sphere', k: 1, classes: 2 }),
    );
    withDense.getLayer('geo_logits_s').trainable = false;
    const frozen = withDense
      .getLayer('geo_logits_s')
      .getWeights()
      .map((w) => Array.from(w.dataSync()));
    await fitGeoModel(withDense, x, y, { epochs: 1 });
    expect(
      withDense
        .getLayer('geo_logits_s')
        .getWeights()
        .map((w) => Array.from(w.dataSync())),
    ).toEqual(frozen);
    await expect(fitGeoModel(model, x, y, { epochs: 1 })).rejects.toThrow(/no trainable weights/);
    expect(ball.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });

  it('rejects bad data and options, and models without a head description', async () => {
    await expect(fitGeoModel(tinyModel(), x, tf.zeros([5]))).rejects.toThrow(/24 rows but y has 5/);
    await expect(fitGeoModel(tinyModel(), x, y, { epochs: 0 })).rejects.toThrow(GeoLayersError);
    await expect(fitGeoModel(tinyModel(), x, y, { batchSize: 1.5 })).rejects.toThrow(/batchSize/);
    const plain = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] });
    await expect(fitGeoModel(plain, x, y)).rejects.toThrow(/no geo-head description/);
  });

  it('does not leak across epochs, and geoAccuracy does not leak', async () => {
    const model = tinyModel();
    await fitGeoModel(model, x, y, { epochs: 1 });
    const optimizer = tf.train.sgd(0.1); // holds its learning-rate scalar
    const before = tf.memory().numTensors;
    await fitGeoModel(model, x, y, { epochs: 2, optimizer });
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    expectNoLeak(() => geoAccuracy(model, x, y));
  });
});
