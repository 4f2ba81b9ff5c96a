import { shuffledIndices } from '@curvad/datasets';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingEpoch } from '../../../core/results/results-file';
import { ExperimentError, InterruptedError } from '../../../experiment-error';
import type { OodConfig } from '../config/ood-config';
import type { FloatImages, LabelledImages } from '../data/load-data';
import type { BuiltModel } from '../model/build-model';

export interface TrainProgress {
  onEpochStart?(epoch: number, epochs: number, steps: number): void;
  onStep?(step: number, steps: number, loss: number): void;
  onEpochEnd?(epoch: number, meanLoss: number): void;
}

/** Rows [start, start + count) of `order` gathered into one NHWC batch tensor. */
export function gatherRows(images: FloatImages, order: ArrayLike<number>, start: number, count: number): tf.Tensor4D {
  const [, h, w, c] = images.shape;
  const per = h * w * c;
  const out = new Float32Array(count * per);
  for (let i = 0; i < count; i++) {
    const row = order[start + i]!;
    out.set(images.x.subarray(row * per, (row + 1) * per), i * per);
  }
  return tf.tensor4d(out, [count, h, w, c]);
}

function makeOptimizer(config: OodConfig): tf.Optimizer {
  const { name, learningRate, momentum } = config.optimizer;
  if (name === 'adam') return tf.train.adam(learningRate);
  if (name === 'momentum') return tf.train.momentum(learningRate, momentum);
  return tf.train.sgd(learningRate);
}

/** The step schedule of the papers: lr x gamma^(milestones passed). */
export function learningRateAt(config: OodConfig, epoch: number): number {
  const passed = config.optimizer.milestones.filter((m) => epoch >= m).length;
  return config.optimizer.learningRate * config.optimizer.gamma ** passed;
}

/** Yield to the event loop so a Ctrl-C handler can run between steps. */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Mini-batch training on the model's loss with a seeded shuffle per epoch. Stops between steps
 * when `signal` is aborted (throws InterruptedError); fails with a clear error on a non-finite loss.
 * Returns the training curve: mean loss and wall time (training steps only) per epoch, plus the
 * ID accuracy `epochAccuracy` measures after an epoch when given (it may return undefined to skip).
 */
export async function trainModel(
  built: BuiltModel,
  data: LabelledImages,
  config: OodConfig,
  seed: number,
  progress: TrainProgress = {},
  signal?: AbortSignal,
  epochAccuracy?: (epoch: number) => Promise<number | undefined>,
): Promise<TrainingEpoch[]> {
  const optimizer = makeOptimizer(config);
  const variables = built.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const rows = data.shape[0];
  const steps = Math.ceil(rows / config.batchSize);
  const curve: TrainingEpoch[] = [];
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const epochStarted = performance.now();
      (optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(config, epoch);
      const order = shuffledIndices(rows, seed * 1009 + epoch);
      progress.onEpochStart?.(epoch, config.epochs, steps);
      let total = 0;
      for (let step = 0; step < steps; step++) {
        if (signal?.aborted) throw new InterruptedError('interrupted during training');
        const start = step * config.batchSize;
        const count = Math.min(config.batchSize, rows - start);
        const lossTensor = tf.tidy(() => {
          const xb = gatherRows(data, order, start, count);
          const yb = tf.tensor1d(
            Int32Array.from({ length: count }, (_, i) => data.y[order[start + i]!]!),
            'int32',
          );
          return optimizer.minimize(
            () => built.loss(built.model.apply(xb, { training: true }) as tf.Tensor | tf.Tensor[], yb),
            true,
            variables,
          )!;
        });
        const loss = (await lossTensor.data())[0]!;
        lossTensor.dispose();
        if (!Number.isFinite(loss)) {
          throw new ExperimentError(
            `model ${built.name}: the training loss became ${loss} in epoch ${epoch + 1}, step ${step + 1}; lower the learning rate or use a smaller |k|.`,
          );
        }
        total += loss * count;
        progress.onStep?.(step, steps, loss);
        await yieldToEvents();
      }
      const seconds = (performance.now() - epochStarted) / 1000;
      progress.onEpochEnd?.(epoch, total / rows);
      const idAccuracy = await epochAccuracy?.(epoch);
      curve.push({ epoch, loss: total / rows, seconds, ...(idAccuracy === undefined ? {} : { idAccuracy }) });
    }
  } finally {
    optimizer.dispose();
  }
  return curve;
}
