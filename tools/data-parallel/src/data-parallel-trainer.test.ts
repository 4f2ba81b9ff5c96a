import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataParallelTrainer } from './data-parallel-trainer';
import { DataParallelError } from './errors';
import { DATA_PARALLEL_LOSSES, shardGradients } from './shard-gradients';
import { ScaleLayer } from './test-support/scale-layer';
import { SOURCE_WORKER_URL as WORKER_URL } from './test-support/source-worker';
import { relativeError, testValues } from './test-support/test-values';

let previousBackend: string;
beforeAll(async () => {
  previousBackend = tf.getBackend();
  await initBackend({ backend: 'wasm', log: false });
});
afterAll(async () => {
  await tf.setBackend(previousBackend);
});

/** conv 4 3x3 + relu, flatten, dense 3 (logits): uses our wasm kernels in the worker too. */
function smallNet(): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [5, 5, 2],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: 'glorotUniform',
      }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3 }),
    ],
  });
  // Deterministic weights, so that two copies start equal.
  tf.tidy(() => model.setWeights(model.getWeights().map((w, i) => tf.mul(tf.tensor(testValues(w.size, 100 + i), w.shape), 0.5))));
  return model;
}

function batch(size: number, seed: number): [tf.Tensor, tf.Tensor] {
  const x = tf.tensor4d(testValues(size * 5 * 5 * 2, seed), [size, 5, 5, 2]);
  const labels = Array.from(testValues(size, seed + 1), (v) => Math.floor((v + 1) * 1.5) % 3);
  return [x, tf.oneHot(tf.tensor1d(labels, 'int32'), 3)];
}

/**
 * Steps `trainer` (training `parallel`) and `refOptimizer` (training `reference` on one thread) on
 * the same batches: every step's loss and the final weights agree within 1e-4. Disposes the batches.
 */
async function expectTrainsLikeOneThread(
  trainer: DataParallelTrainer,
  parallel: tfl.LayersModel,
  reference: tfl.LayersModel,
  refOptimizer: tf.Optimizer,
  batches: [tf.Tensor, tf.Tensor][],
): Promise<void> {
  for (const [x, y] of batches) {
    const expected = refOptimizer.minimize(
      () => DATA_PARALLEL_LOSSES.softmaxCrossEntropy(y, reference.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      true,
    )!;
    const loss = await trainer.step(x, y);
    expect(Math.abs(loss - expected.dataSync()[0]!)).toBeLessThanOrEqual(1e-4 * Math.abs(expected.dataSync()[0]!));
    tf.dispose([x, y, expected]);
  }
  const [a, b] = [reference.getWeights(), parallel.getWeights()];
  for (const [i, w] of a.entries()) expect(relativeError(b[i]!.dataSync(), w.dataSync())).toBeLessThanOrEqual(1e-4);
}

describe('DataParallelTrainer', () => {
  it('gives the losses and weights of single-thread training (batch 7 over 2 threads: shards 4 and 3, then balanced by speed)', async () => {
    const reference = smallNet();
    const parallel = smallNet();
    const refOptimizer = tf.train.adam(0.05);
    const trainer = await DataParallelTrainer.create(parallel, {
      loss: 'softmaxCrossEntropy',
      optimizer: tf.train.adam(0.05),
      threads: 2,
      workerUrl: WORKER_URL,
    });
    try {
      expect(trainer.threads).toBe(2);
      expect(trainer.liveWorkers).toBe(1);
      await expectTrainsLikeOneThread(
        trainer,
        parallel,
        reference,
        refOptimizer,
        [0, 1, 2].map((step) => batch(7, 10 * step + 1)),
      );
    } finally {
      await trainer.dispose();
      reference.dispose();
      parallel.dispose();
    }
  }, 60_000);

  it('rebuilds models with custom layer classes from workerModules, and says so when a class is unknown', async () => {
    const withScale = () => {
      const model = tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [4], units: 3, kernelInitializer: 'zeros' }),
          new ScaleLayer({}),
          tfl.layers.dense({ units: 3 }),
        ],
      });
      tf.tidy(() => model.setWeights(model.getWeights().map((w, i) => tf.add(tf.tensor(testValues(w.size, 300 + i), w.shape), 1))));
      return model;
    };
    const [reference, parallel] = [withScale(), withScale()];
    const refOptimizer = tf.train.sgd(0.1);
    const trainer = await DataParallelTrainer.create(parallel, {
      loss: 'softmaxCrossEntropy',
      optimizer: tf.train.sgd(0.1),
      threads: 2,
      workerUrl: WORKER_URL,
      workerModules: [new URL('./test-support/scale-layer.ts', import.meta.url)],
    });
    try {
      const labels = () => tf.oneHot(tf.tensor1d([0, 1, 2, 2, 1, 0], 'int32'), 3);
      await expectTrainsLikeOneThread(
        trainer,
        parallel,
        reference,
        refOptimizer,
        [40, 41].map((seed) => [tf.tensor2d(testValues(6 * 4, seed), [6, 4]), labels()]),
      );
    } finally {
      await trainer.dispose();
    }
    await expect(
      DataParallelTrainer.create(parallel, {
        loss: 'softmaxCrossEntropy',
        optimizer: tf.train.sgd(0.1),
        threads: 2,
        workerUrl: WORKER_URL,
      }),
    ).rejects.toThrow(/worker 1 could not start: .*CurvadDataParallelTestScale/);
    reference.dispose();
    parallel.dispose();
  }, 60_000);

  it('applies the full batch mean-loss gradient through shared memory (batch 7 over 3 threads: shards 3, 2, 2)', async () => {
    const reference = smallNet();
    const parallel = smallNet();
    const [x, y] = batch(7, 5);
    const expected = shardGradients(reference, 'softmaxCrossEntropy', x, y);
    const before = parallel.getWeights().map((w) => w.dataSync().slice());
    const trainer = await DataParallelTrainer.create(parallel, {
      loss: 'softmaxCrossEntropy',
      optimizer: tf.train.sgd(1),
      threads: 3,
      workerUrl: WORKER_URL,
    });
    try {
      expect(trainer.lastStepTimings).toBeUndefined();
      const loss = await trainer.step(x, y);
      expect(Math.abs(loss - expected.loss)).toBeLessThanOrEqual(1e-5 * Math.abs(expected.loss));
      // SGD with rate 1: the applied gradient is the weights' change.
      const after = parallel.getWeights();
      for (const [i, g] of expected.grads.entries()) {
        const applied = Float32Array.from(before[i]!, (w, k) => w - after[i]!.dataSync()[k]!);
        expect(relativeError(applied, g.dataSync())).toBeLessThanOrEqual(1e-5);
      }
      const timings = trainer.lastStepTimings!;
      expect(timings.workers).toHaveLength(2);
      // The first step's shards are equal (no timings yet to balance by).
      expect(timings.shardSizes).toEqual([3, 2, 2]);
      const phases = timings.sendMs + timings.ownShardMs + timings.waitMs + timings.averageMs + timings.applyMs;
      expect(Math.abs(phases - timings.totalMs)).toBeLessThanOrEqual(1e-6 * timings.totalMs + 1e-9);
      for (const w of timings.workers) expect(Math.min(w.loadMs, w.computeMs, w.writeMs)).toBeGreaterThanOrEqual(0);
    } finally {
      await trainer.dispose();
      tf.dispose([x, y, ...expected.grads]);
      reference.dispose();
      parallel.dispose();
    }
  }, 60_000);

  it('does not leak tensors, and terminates its workers on dispose', async () => {
    const model = smallNet();
    const optimizer = tf.train.sgd(0.1);
    const trainer = await DataParallelTrainer.create(model, { loss: 'meanSquaredError', optimizer, threads: 3, workerUrl: WORKER_URL });
    const [x, y] = batch(6, 3);
    await trainer.step(x, y);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await trainer.step(x, y);
    expect(tf.memory().numTensors).toBe(before);
    expect(trainer.liveWorkers).toBe(2);
    await trainer.dispose();
    expect(trainer.liveWorkers).toBe(0);
    await expect(trainer.step(x, y)).rejects.toSatisfy(DataParallelError.isInstance);
    tf.dispose([x, y]);
    model.dispose();
  }, 60_000);

  it('fails create() with DataParallelError when a worker cannot rebuild the model', async () => {
    // A layer class registered on this thread only: the worker's modelFromJSON does not know it.
    class ScaleOnlyHere extends tfl.layers.Layer {
      static className = 'CurvadTestScaleOnlyHere';
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.mul(Array.isArray(inputs) ? inputs[0]! : inputs, 2);
      }
    }
    tf.serialization.registerClass(ScaleOnlyHere);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 2 }), new ScaleOnlyHere({})] });
    const error = await DataParallelTrainer.create(model, {
      loss: 'meanSquaredError',
      optimizer: tf.train.sgd(0.1),
      threads: 2,
      workerUrl: WORKER_URL,
    }).catch((e: unknown) => e);
    expect(DataParallelError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/worker 1 could not start: .*CurvadTestScaleOnlyHere/);
    model.dispose();
  }, 60_000);

  it('rejects a step with DataParallelError when a worker crashes, and stays failed', async () => {
    // A worker that starts, then throws on its first request.
    const crashing = new URL(
      `data:text/javascript,${encodeURIComponent(
        "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => { throw new Error('shard exploded'); }); parentPort.postMessage({ kind: 'ready' });",
      )}`,
    );
    const model = smallNet();
    const trainer = await DataParallelTrainer.create(model, {
      loss: 'softmaxCrossEntropy',
      optimizer: tf.train.sgd(0.1),
      threads: 2,
      workerUrl: crashing,
    });
    const [x, y] = batch(4, 5);
    try {
      const before = tf.memory().numTensors;
      const error = await trainer.step(x, y).catch((e: unknown) => e);
      expect(DataParallelError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/worker failed: shard exploded/);
      expect(tf.memory().numTensors).toBe(before);
      await expect(trainer.step(x, y)).rejects.toSatisfy(DataParallelError.isInstance);
      await expect(
        DataParallelTrainer.create(model, { loss: 'hinge' as 'meanSquaredError', optimizer: tf.train.sgd(0.1) }),
      ).rejects.toThrow(/unknown loss 'hinge'/);
      const short = tf.slice(y, 0, 3);
      await expect(trainer.step(x, short)).rejects.toThrow(/x has 4 examples but y has 3/);
      const [x1, y1] = [tf.slice(x, 0, 1), tf.slice(y, 0, 1)];
      await expect(trainer.step(x1, y1)).rejects.toThrow(/a batch of 1 cannot feed 2 threads/);
      tf.dispose([short, x1, y1]);
    } finally {
      tf.dispose([x, y]);
      await trainer.dispose();
      model.dispose();
    }
  }, 60_000);
});
