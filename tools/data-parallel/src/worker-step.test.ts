import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import type { StepRequest } from './data-parallel-protocol';
import { shardGradients } from './shard-gradients';
import { testValues } from './test-support/test-values';
import { workerStep } from './worker-step';

function denseNet(): tfl.LayersModel {
  return tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }), tfl.layers.dense({ units: 2 })] });
}

/** A request as the trainer sends it: fresh weights (trainableWeights order) and a shard of 5 examples. */
function request(model: tfl.LayersModel, seed: number): StepRequest {
  const weights = model.trainableWeights.map((w, i) => testValues(w.read().size, seed + i));
  const labels = Array.from(testValues(5, seed + 50), (v) => (v < 0 ? 0 : 1));
  return {
    weights,
    x: { values: testValues(5 * 3, seed + 99), shape: [5, 3], dtype: 'float32' },
    y: { values: Float32Array.from(labels.flatMap((l) => (l === 0 ? [1, 0] : [0, 1]))), shape: [5, 2], dtype: 'float32' },
  };
}

describe('workerStep', () => {
  it('loads the sent weights and returns the shard loss and gradients of the model with those weights', () => {
    const model = denseNet();
    const sent = request(model, 1);
    const result = workerStep(model, 'softmaxCrossEntropy', sent);
    for (const [i, w] of model.trainableWeights.entries()) expect(Array.from(w.read().dataSync())).toEqual(Array.from(sent.weights[i]!));
    const [x, y] = [tf.tensor(sent.x.values, sent.x.shape), tf.tensor(sent.y.values, sent.y.shape)];
    const expected = shardGradients(model, 'softmaxCrossEntropy', x, y);
    expect(result.loss).toBeCloseTo(expected.loss, 6);
    for (const [i, g] of expected.grads.entries()) expect(Array.from(result.grads[i]!)).toEqual(Array.from(g.dataSync()));
    tf.dispose([x, y, ...expected.grads]);
    model.dispose();
  });

  it('leaves no tensor behind over steps (a worker serves a whole training run)', () => {
    const model = denseNet();
    workerStep(model, 'meanSquaredError', request(model, 2));
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) workerStep(model, 'meanSquaredError', request(model, 10 + step));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects a request whose weight count does not match the model, leaving no tensor behind', () => {
    const model = denseNet();
    const before = tf.memory().numTensors;
    const bad = { ...request(model, 3), weights: [new Float32Array(12)] };
    expect(() => workerStep(model, 'meanSquaredError', bad)).toThrow('received 1 weight arrays for 4 trainable weights');
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
