import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedBatchNormalization, fusedBatchNormalization } from './fused-batch-normalization';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
  await initBackend({ backend: 'cpu', log: false });
});

const ARGS = { axis: -1, momentum: 0.9, epsilon: 1e-5 };

/**
 * conv (no bias, as before every batch norm: a bias there has an exactly-zero gradient, whose rounding
 * noise Adam would turn into full steps) -> batch norm -> relu -> dense, weights from `seed`.
 */
function net(norm: tfl.layers.Layer, seed: number): tfl.LayersModel {
  const input = tfl.input({ shape: [6, 6, 3] });
  const conv = tfl.layers.conv2d({
    filters: 8,
    kernelSize: 3,
    padding: 'same',
    useBias: false,
    kernelInitializer: tfl.initializers.glorotNormal({ seed }),
  });
  const y = tfl.layers.activation({ activation: 'relu' }).apply(norm.apply(conv.apply(input))) as tfl.SymbolicTensor;
  const flat = tfl.layers.flatten().apply(y) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + 1 }) }).apply(flat);
  return tfl.model({ inputs: input, outputs: out as tfl.SymbolicTensor });
}

function batch(seed: number) {
  return {
    x: tf.randomNormal([5, 6, 6, 3], 0.5, 2, 'float32', seed),
    y: tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0], 'int32'), 3),
  };
}

function weightsOf(model: tfl.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

function maxRelativeDiff(a: Float32Array[], b: Float32Array[]): number {
  let diff = 0;
  let scale = 0;
  a.forEach((values, i) => {
    values.forEach((v, j) => {
      diff = Math.max(diff, Math.abs(v - b[i]![j]!));
      scale = Math.max(scale, Math.abs(b[i]![j]!));
    });
  });
  return diff / scale;
}

describe('FusedBatchNormalization', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`trains like tfjs-layers' BatchNormalization on ${backend}: outputs, moving statistics, 3 Adam steps`, async () => {
      await tf.setBackend(backend);
      const models = [net(fusedBatchNormalization(ARGS), 3), net(tfl.layers.batchNormalization(ARGS), 3)];
      const { x, y } = batch(7);
      const training = models.map((m) => m.apply(x, { training: true }) as tf.Tensor);
      expect(maxRelativeDiff([training[0]!.dataSync() as Float32Array], [training[1]!.dataSync() as Float32Array])).toBeLessThan(1e-5);
      // One training-mode call updated the moving mean and variance the same way.
      expect(maxRelativeDiff(weightsOf(models[0]!), weightsOf(models[1]!))).toBeLessThan(1e-5);
      for (const m of models) {
        m.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
        for (let step = 0; step < 3; step++) await m.trainOnBatch(x, y);
      }
      expect(maxRelativeDiff(weightsOf(models[0]!), weightsOf(models[1]!))).toBeLessThan(1e-4);
      const inference = models.map((m) => m.predict(x) as tf.Tensor);
      expect(maxRelativeDiff([inference[0]!.dataSync() as Float32Array], [inference[1]!.dataSync() as Float32Array])).toBeLessThan(1e-4);
      tf.dispose([x, y, ...training, ...inference]);
      for (const m of models) m.dispose();
    });
  }

  it('normalizes over a non-last axis with the parent class (same values)', async () => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal([4, 3, 5], 0, 1, 'float32', 2);
    const layers = [fusedBatchNormalization({ axis: 1 }), tfl.layers.batchNormalization({ axis: 1 })];
    const outs = layers.map((l) => l.apply(x, { training: true }) as tf.Tensor);
    expect(Array.from(outs[0]!.dataSync())).toEqual(Array.from(outs[1]!.dataSync()));
    tf.dispose([x, ...outs]);
  });

  it('serializes under its own class name and loads back with its configuration', async () => {
    await tf.setBackend('cpu');
    const model = net(fusedBatchNormalization({ ...ARGS, name: 'bn' }), 5);
    const restored = await tfl.models.modelFromJSON({ modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] });
    const layer = restored.getLayer('bn');
    expect(layer).toBeInstanceOf(FusedBatchNormalization);
    expect(layer.getClassName()).toBe('CurvadFusedBatchNormalization');
    expect(layer.getConfig()).toEqual(model.getLayer('bn').getConfig());
    model.dispose();
    restored.dispose();
  });

  it('leaves no tensor behind over repeated training steps', async () => {
    await tf.setBackend('wasm');
    const model = net(fusedBatchNormalization(ARGS), 9);
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
    const { x, y } = batch(4);
    await model.trainOnBatch(x, y);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) await model.trainOnBatch(x, y);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});
