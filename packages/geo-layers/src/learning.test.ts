// A real learning test through the training code users call (attachGeoHeads + fitGeoModel +
// geoAccuracy): three concentric 2-D rings, held-out accuracy of the geometric classifier.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { attachGeoHeads } from './attach-geo-heads';
import { fitGeoModel, geoAccuracy } from './fit-geo-model';
import { mulberry } from './test-support';

const CLASSES = 3;

/**
 * Three concentric noisy rings (radii 1, 2, 3; radial noise std 0.2): not linearly separable, so the
 * backbone's hidden layer and the head must really learn (a Bayes accuracy of about 99%).
 */
function rings(perClass: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const random = mulberry(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const points: number[][] = [];
  const labels: number[] = [];
  for (let label = 0; label < CLASSES; label++) {
    for (let i = 0; i < perClass; i++) {
      const angle = 2 * Math.PI * random();
      const radius = label + 1 + 0.2 * gauss();
      points.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
      labels.push(label);
    }
  }
  return { x: tf.tensor2d(points), y: tf.tensor1d(labels, 'int32') };
}

/** The "user's" backbone: 2 -> 32 (relu) -> 8 features -> Euclidean classifier. */
function backbone(seed: number): tfl.LayersModel {
  const input = tfl.input({ shape: [2] });
  const hidden = tfl.layers
    .dense({ units: 32, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed }) })
    .apply(input) as tfl.SymbolicTensor;
  const features = tfl.layers
    .dense({ units: 8, name: 'features', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) })
    .apply(hidden) as tfl.SymbolicTensor;
  const logits = tfl.layers
    .dense({ units: CLASSES, name: 'classifier', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }) })
    .apply(features) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits });
}

describe('learning on 3 rings (held-out accuracy >= 95%)', () => {
  const train = rings(100, 11);
  const test = rings(100, 12);

  it("GiO-H (Poincare ball, k = -0.01 as the paper's HiO)", async () => {
    const model = attachGeoHeads(backbone(1), {
      featureLayer: 'features',
      head: 'gio',
      geometry: 'poincare',
      k: -0.01,
      classes: CLASSES,
      seed: 2,
    });
    const history = await fitGeoModel(model, train.x, train.y, { epochs: 15, batchSize: 32, learningRate: 0.02, seed: 3 });
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0]!);
    const accuracy = geoAccuracy(model, test.x, test.y);
    console.info(`GiO-H held-out accuracy: ${JSON.stringify(accuracy)}`);
    expect(accuracy.poincare).toBeGreaterThanOrEqual(0.95);
  });

  it("GiT-S (sphere, k = 1 as the paper's SiT): both classifiers learn", async () => {
    const model = attachGeoHeads(backbone(4), {
      featureLayer: 'features',
      head: 'git',
      geometry: 'sphere',
      k: 1,
      classes: CLASSES,
      classifierLayer: 'classifier',
      seed: 5,
    });
    const before = tf.memory().numTensors;
    const history = await fitGeoModel(model, train.x, train.y, { epochs: 15, batchSize: 32, learningRate: 0.02, seed: 6 });
    expect(tf.memory().numTensors).toBe(before); // training steps leave nothing behind
    expect(history.loss.at(-1)!).toBeLessThan(history.loss[0]!);
    const accuracy = geoAccuracy(model, test.x, test.y);
    console.info(`GiT-S held-out accuracy: ${JSON.stringify(accuracy)}`);
    expect(accuracy.sphere).toBeGreaterThanOrEqual(0.95);
    expect(accuracy.euclidean).toBeGreaterThanOrEqual(0.95);
  });
});
