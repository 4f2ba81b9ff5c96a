// The README's example, run as a test so the documented code keeps working. Keep the two in sync.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { attachGeoHeads, fitGeoModel, geoAccuracy, loadModel, predictOutputs, saveModel } from './index';
import { geoHeadScores } from './scores';

it('README example: attach a HiT head to an existing model, train, score, save, load', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'curvad-readme-'));
  try {
    // ---- README example start ----
    // An existing model: 2-D input -> features -> softmax classifier over 3 classes.
    const init = (seed: number) => tfl.initializers.glorotUniform({ seed }); // reproducible runs
    const input = tfl.input({ shape: [2] });
    const hidden = tfl.layers.dense({ units: 32, activation: 'relu', kernelInitializer: init(1) }).apply(input);
    const features = tfl.layers.dense({ units: 8, name: 'features', kernelInitializer: init(2) }).apply(hidden as tfl.SymbolicTensor);
    const probs = tfl.layers
      .dense({ units: 3, activation: 'softmax', name: 'classifier', kernelInitializer: init(3) })
      .apply(features as tfl.SymbolicTensor);
    const model = tfl.model({ inputs: input, outputs: probs as tfl.SymbolicTensor });

    // Hyperbolic-in-Two (HiT): keep the Euclidean classifier, add a Poincare-ball branch (k = -1).
    const hit = attachGeoHeads(model, {
      featureLayer: 'features',
      classifierLayer: 'classifier',
      head: 'git',
      geometry: 'poincare',
      k: -1,
      classes: 3,
      seed: 1,
    });

    // Toy data: the class is the 120-degree sector of the point.
    const x = tf.randomNormal([400, 2], 0, 1, 'float32', 7);
    const [px, py] = tf.split(x, 2, 1);
    const angle = tf.add(tf.atan2(py!, px!), Math.PI);
    const sector = tf.clipByValue(tf.floor(tf.div(angle, (2 * Math.PI) / 3)), 0, 2);
    const y = tf.cast(tf.reshape(sector, [-1]), 'int32');

    await fitGeoModel(hit, x, y, { epochs: 12, learningRate: 0.02, seed: 2 }); // loss l_E + l_H
    console.info('accuracy per classifier', geoAccuracy(hit, x, y)); // { euclidean, poincare }

    // Anomaly scores that fit the head: MSP (baseline) and z_EH (Eq. 12); higher = more anomalous.
    const [msp, zEH] = geoHeadScores(hit);
    const outputs = predictOutputs(hit, x);
    const anomaly = zEH!.compute(outputs); // Float32Array, one score per row
    console.info(msp!.name, zEH!.name, anomaly.slice(0, 3));

    // Save and load with plain Node file I/O (no tfjs-node needed).
    await saveModel(hit, dir);
    const reloaded = await loadModel(dir);
    // ---- README example end ----

    expect(geoAccuracy(hit, x, y).poincare).toBeGreaterThan(0.9);
    expect(anomaly).toHaveLength(400);
    const again = predictOutputs(reloaded, x);
    outputs.forEach((t, i) => {
      expect(Array.from(again[i]!.dataSync())).toEqual(Array.from(t.dataSync()));
    });
    tf.dispose([x, px!, py!, angle, sector, y, ...outputs, ...again]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
