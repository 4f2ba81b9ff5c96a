import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { buildGeoModel, git } from './heads';
import { predictBatches } from './predict-batches';
import { randomMatrix } from './test-support';

function twoOutputModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [4] });
  return buildGeoModel(input, git(input, { geometry: 'poincare', k: -1, classes: 3, seed: 2 }));
}

function* rowsOf(x: number[][], size: number): Generator<tf.Tensor2D> {
  for (let start = 0; start < x.length; start += size) {
    const t = tf.tensor2d(x.slice(start, start + size));
    try {
      yield t;
    } finally {
      t.dispose();
    }
  }
}

describe('predictBatches', () => {
  it('equals one model.predict over the whole input, output by output, for uneven batches', async () => {
    const x = randomMatrix(11, 4, 3);
    const model = twoOutputModel();
    const whole = tf.tidy(() => model.predict(tf.tensor2d(x)) as tf.Tensor[]);
    const batched = await predictBatches(model, rowsOf(x, 4));
    expect(batched).toHaveLength(whole.length);
    batched.forEach((t, i) => {
      expect(t.shape).toEqual(whole[i]!.shape);
      const want = whole[i]!.dataSync();
      for (const [j, v] of t.dataSync().entries()) expect(v).toBeCloseTo(want[j]!, 5);
    });
    tf.dispose([...whole, ...batched]);
  });

  it('runs one forward pass per batch (model.predict with the batch as its batchSize)', async () => {
    const x = randomMatrix(70, 4, 4);
    const model = twoOutputModel();
    const sizes: (number | undefined)[] = [];
    const predict = model.predict.bind(model);
    model.predict = (input, config) => {
      sizes.push(config?.batchSize);
      return predict(input, config);
    };
    tf.dispose(await predictBatches(model, rowsOf(x, 64)));
    expect(sizes).toEqual([64, 6]);
  });

  it('leaves only its outputs behind, and nothing when aborted', async () => {
    const x = randomMatrix(9, 4, 5);
    const model = twoOutputModel();
    tf.dispose(await predictBatches(model, rowsOf(x, 4)));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(await predictBatches(model, rowsOf(x, 4)));
    expect(tf.memory().numTensors).toBe(before);
    const controller = new AbortController();
    async function* abortAfterOne(): AsyncGenerator<tf.Tensor> {
      let n = 0;
      for (const t of rowsOf(x, 4)) {
        if (n++ === 1) controller.abort();
        yield t;
      }
    }
    await expect(
      predictBatches(model, abortAfterOne(), { signal: controller.signal, onAbort: () => new Error('stopped here') }),
    ).rejects.toThrow('stopped here');
    expect(tf.memory().numTensors).toBe(before);
    await expect(predictBatches(model, [])).rejects.toThrow(/gave no batches/);
  });
});
