import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from './cross-entropy';
import { GeoLayersError } from './errors';
import { FitAbortedError, type FitStep, fit, stepSchedule, type TrainBatch } from './fit';
import { randomMatrix } from './test-support';

/** y = x W + b with W, b starting at zero: every step's update is checkable by hand. */
function linearModel(inputs: number, units: number): tfl.LayersModel {
  const input = tfl.input({ shape: [inputs] });
  const output = tfl.layers.dense({ units, kernelInitializer: 'zeros', biasInitializer: 'zeros' }).apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output });
}

/** Batches of rows [start, start + size) of x / y, owned (and disposed) by the generator. */
function* slices(x: number[][], y: number[], size: number): Generator<TrainBatch> {
  for (let start = 0; start < x.length; start += size) {
    const batch = { inputs: tf.tensor2d(x.slice(start, start + size)), targets: tf.tensor1d(y.slice(start, start + size), 'int32') };
    try {
      yield batch;
    } finally {
      tf.dispose([batch.inputs, batch.targets]);
    }
  }
}

const ce = (outputs: tf.Tensor | tf.Tensor[], batch: TrainBatch) =>
  softmaxCrossEntropy((Array.isArray(outputs) ? outputs[0] : outputs) as tf.Tensor2D, batch.targets);

describe('stepSchedule', () => {
  it('is lr x gamma^(milestones passed), as PyTorch MultiStepLR', () => {
    const lr = stepSchedule({ learningRate: 0.1, gamma: 0.1, milestones: [2, 4] });
    expect([0, 1, 2, 3, 4, 9].map(lr)).toEqual([0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 ** 2, 0.1 * 0.1 ** 2]);
    expect(stepSchedule({ learningRate: 1, gamma: 0.5, milestones: [] })(100)).toBe(1);
  });

  it('rejects a non-positive rate or gamma and fractional milestones', () => {
    expect(() => stepSchedule({ learningRate: 0, gamma: 0.1, milestones: [] })).toThrow(/learningRate must be a positive/);
    expect(() => stepSchedule({ learningRate: 0.1, gamma: Number.NaN, milestones: [] })).toThrow(/gamma/);
    expect(() => stepSchedule({ learningRate: 0.1, gamma: 0.1, milestones: [1.5] })).toThrow(/milestones/);
  });
});

describe('fit', () => {
  // SGD and momentum cache their rate in a tensor: a schedule that only assigned `learningRate` left them at the first rate.
  it('takes exactly the steps of a hand-written minimize loop, with the schedule set per epoch (SGD)', async () => {
    const x = randomMatrix(10, 3, 1);
    const y = [0, 1, 2, 1, 0, 2, 2, 1, 0, 1];
    const schedule = stepSchedule({ learningRate: 0.5, gamma: 0.1, milestones: [1] });
    const model = linearModel(3, 3);
    const optimizer = tf.train.sgd(1);
    await fit(model, { epochs: 2, optimizer, learningRate: schedule, loss: ce, batches: () => slices(x, y, 4) });

    // The reference: the same SGD steps by hand (SGD is stateless, so a fresh optimizer per epoch is the same).
    const reference = linearModel(3, 3);
    const variables = reference.trainableWeights.map((w) => w.read() as tf.Variable);
    for (const rate of [0.5, 0.05]) {
      const sgd = tf.train.sgd(rate);
      for (const batch of slices(x, y, 4)) {
        tf.tidy(() => {
          sgd.minimize(() => ce(reference.apply(batch.inputs) as tf.Tensor, batch), false, variables);
        });
      }
      sgd.dispose();
    }
    const got = model.getWeights().map((w) => Array.from(w.dataSync()));
    const want = reference.getWeights().map((w) => Array.from(w.dataSync()));
    expect(got).toEqual(want);
    expect(Math.abs(got[0]![0]!)).toBeGreaterThan(0); // it did train
    optimizer.dispose();
  });

  it('reports every step and the row-weighted mean loss per epoch; the first step of a zero model has loss log(C)', async () => {
    const x = randomMatrix(5, 2, 3);
    const y = [0, 1, 0, 1, 1];
    const steps: FitStep[] = [];
    const epochs: number[] = [];
    const optimizer = tf.train.sgd(0.1);
    const history = await fit(linearModel(2, 2), {
      epochs: 2,
      optimizer,
      loss: ce,
      batches: () => slices(x, y, 3),
      onStep: (s) => {
        steps.push(s);
      },
      onEpochEnd: ({ loss }) => {
        epochs.push(loss);
      },
    });
    expect(steps.map((s) => [s.epoch, s.step, s.rows])).toEqual([
      [0, 0, 3],
      [0, 1, 2],
      [1, 0, 3],
      [1, 1, 2],
    ]);
    expect(steps[0]!.loss).toBeCloseTo(Math.log(2), 6);
    expect(history.loss[0]).toBeCloseTo((3 * steps[0]!.loss + 2 * steps[1]!.loss) / 5, 6);
    expect(epochs).toEqual(history.loss);
    expect(history.seconds).toHaveLength(2);
    optimizer.dispose();
  });

  it('accepts async batch sources', async () => {
    const x = randomMatrix(4, 2, 5);
    const y = [0, 1, 1, 0];
    async function* source(): AsyncGenerator<TrainBatch> {
      yield* slices(x, y, 2);
    }
    const optimizer = tf.train.sgd(0.1);
    const history = await fit(linearModel(2, 2), { epochs: 1, optimizer, loss: ce, batches: source });
    expect(history.loss).toHaveLength(1);
    expect(history.loss[0]!).toBeLessThan(Math.log(2) + 1e-6); // first step at log 2, the second after one descent step
    optimizer.dispose();
  });

  it('stops before the next step when its signal is aborted, keeping the finished steps and closing the source', async () => {
    const x = randomMatrix(8, 2, 7);
    const y = [0, 1, 1, 0, 1, 0, 0, 1];
    const controller = new AbortController();
    let closed = false;
    function* watched(): Generator<TrainBatch> {
      try {
        yield* slices(x, y, 2);
      } finally {
        closed = true;
      }
    }
    const model = linearModel(2, 2);
    const optimizer = tf.train.sgd(0.1);
    const run = fit(model, {
      epochs: 3,
      optimizer,
      loss: ce,
      batches: watched,
      onStep: ({ step }) => {
        if (step === 1) controller.abort();
      },
      signal: controller.signal,
    });
    await expect(run).rejects.toSatisfy(
      (e: unknown) => FitAbortedError.isInstance(e) && /before step 3 of epoch 1/.test((e as Error).message),
    );
    expect(closed).toBe(true);
    optimizer.dispose();
  });

  it('fails on a non-finite loss naming epoch and step, and on bad options', async () => {
    const x = randomMatrix(4, 2, 9);
    const optimizer = tf.train.sgd(0.1);
    const model = linearModel(2, 2);
    const nanLoss = (outputs: tf.Tensor | tf.Tensor[]) => tf.mul(tf.sum(outputs as tf.Tensor), Number.NaN) as tf.Scalar;
    await expect(fit(model, { epochs: 1, optimizer, loss: nanLoss, batches: () => slices(x, [0, 1, 0, 1], 2) })).rejects.toThrow(
      /loss became NaN in epoch 1, step 1/,
    );
    await expect(fit(model, { epochs: 0, optimizer, loss: ce, batches: () => [] })).rejects.toThrow(/epochs must be an integer >= 1/);
    await expect(fit(model, { epochs: 1, optimizer, loss: ce, batches: () => [] })).rejects.toThrow(/epoch 1 had no batches/);
    await expect(
      fit(model, { epochs: 1, optimizer, loss: ce, batches: () => slices(x, [0, 1, 0, 1], 2), learningRate: () => -1 }),
    ).rejects.toThrow(GeoLayersError);
    await expect(fit(model, { epochs: 1, optimizer, loss: ce, batches: () => [], batchSize: 2 } as never)).rejects.toThrow(/batchSize/);
    optimizer.dispose();
  });

  it('leaves no tensor behind over repeated calls', async () => {
    const x = randomMatrix(6, 2, 11);
    const y = [0, 1, 1, 0, 1, 0];
    const model = linearModel(2, 2);
    const optimizer = tf.train.sgd(0.1);
    await fit(model, { epochs: 1, optimizer, loss: ce, batches: () => slices(x, y, 4) }); // the optimizer's own state is created once
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await fit(model, { epochs: 2, optimizer, loss: ce, batches: () => slices(x, y, 4) });
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
  });
});
