// The save/load round trip on the wasm backend (tfjs-node is not needed for file I/O).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitGeoModel } from './fit-geo-model';
import { predictOutputs } from './heads';
import { loadModel, saveModel } from './model-io';
import { everyLayerModel, fixtureInput } from './model-io-fixture';
import { expectClose, toMatrix } from './test-support';

let dir = '';
beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  dir = await mkdtemp(join(tmpdir(), 'curvad-geo-wasm-'));
});
afterAll(async () => {
  await tf.setBackend('cpu');
  await rm(dir, { recursive: true, force: true });
});

describe('saveModel / loadModel on wasm', () => {
  it('reloads with identical outputs on wasm, and matches the cpu outputs', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const model = everyLayerModel();
    const x = fixtureInput();
    const before = predictOutputs(model, x).map((t) => Array.from(t.dataSync()));
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const after = predictOutputs(loaded, x).map((t) => Array.from(t.dataSync()));
    expect(after).toEqual(before);

    // The same saved model read on cpu computes the same outputs up to float32 kernel differences.
    await tf.setBackend('cpu');
    const onCpu = await loadModel(dir);
    const cpuOutputs = predictOutputs(onCpu, tf.tensor2d(toMatrix(x))).map((t) => Array.from(t.dataSync()));
    await tf.setBackend('wasm');
    cpuOutputs.forEach((values, i) => {
      expectClose(values, before[i]!, 1e-4);
    });
  });

  it('trains on wasm (every kernel the geo layers need, forward and backward, exists there)', async () => {
    const model = everyLayerModel();
    const x = tf.tensor2d(toMatrix(fixtureInput()));
    const y = tf.tensor1d([0, 1, 2, 1], 'int32');
    const history = await fitGeoModel(model, x, y, { epochs: 3, batchSize: 2, seed: 1 });
    expect(history.loss.every(Number.isFinite)).toBe(true);
    expect(history.loss[2]!).toBeLessThan(history.loss[0]!);
  });
});
