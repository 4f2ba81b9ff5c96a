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

/** Fresh weights for the model, back to back in trainableWeights order, as the trainer shares them. */
function flatWeights(model: tfl.LayersModel, seed: number): Float32Array {
  const total = model.trainableWeights.reduce((n, w) => n + w.read().size, 0);
  return testValues(total, seed);
}

/** A request as the trainer sends it: a shard of 5 examples and its share of the batch. */
function request(seed: number, scale = 1): StepRequest {
  const labels = Array.from(testValues(5, seed + 50), (v) => (v < 0 ? 0 : 1));
  return {
    x: { values: testValues(5 * 3, seed + 99), shape: [5, 3], dtype: 'float32' },
    y: { values: Float32Array.from(labels.flatMap((l) => (l === 0 ? [1, 0] : [0, 1]))), shape: [5, 2], dtype: 'float32' },
    scale,
  };
}

describe('workerStep', () => {
  it('loads the shared weights and writes the scaled shard gradients of the model with those weights', () => {
    const model = denseNet();
    const weights = flatWeights(model, 1);
    const grads = new Float32Array(weights.length).fill(Number.NaN);
    const sent = request(1, 5 / 8);
    const result = workerStep(model, 'softmaxCrossEntropy', weights, grads, sent);
    let offset = 0;
    const offsets: number[] = [];
    for (const w of model.trainableWeights) {
      const size = w.read().size;
      expect(Array.from(w.read().dataSync())).toEqual(Array.from(weights.subarray(offset, offset + size)));
      offsets.push(offset);
      offset += size;
    }
    const [x, y] = [tf.tensor(sent.x.values, sent.x.shape), tf.tensor(sent.y.values, sent.y.shape)];
    const expected = shardGradients(model, 'softmaxCrossEntropy', x, y);
    expect(result.loss).toBeCloseTo(expected.loss, 6);
    for (const [i, g] of expected.grads.entries()) {
      const want = Array.from(g.dataSync(), (v) => Math.fround(v * (5 / 8)));
      expect(Array.from(grads.subarray(offsets[i]!, offsets[i]! + g.size))).toEqual(want);
    }
    expect(result.timings.computeMs).toBeGreaterThanOrEqual(0);
    tf.dispose([x, y, ...expected.grads]);
    model.dispose();
  });

  it('leaves no tensor behind over steps (a worker serves a whole training run)', () => {
    const model = denseNet();
    const weights = flatWeights(model, 2);
    const grads = new Float32Array(weights.length);
    workerStep(model, 'meanSquaredError', weights, grads, request(2));
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) workerStep(model, 'meanSquaredError', flatWeights(model, 10 + step), grads, request(10 + step));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects shared buffers whose size does not match the model, leaving no tensor behind', () => {
    const model = denseNet();
    const before = tf.memory().numTensors;
    expect(() => workerStep(model, 'meanSquaredError', new Float32Array(12), new Float32Array(12), request(3))).toThrow(
      'shared buffers hold 12 weights and 12 gradients for a model of 26 trainable values',
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
