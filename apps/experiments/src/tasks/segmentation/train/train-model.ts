// Training a segmentation model: geo-layers' `fit` over seeded batches of training scenes, the loss
// l_E + 0.1 l_S + 0.1 l_H per pixel (pixelHeadLoss), the config's optimizer and step schedule. The
// final epoch's model is scored (no selection on the test scenes).
import { shuffledIndices } from '@curvad/datasets';
import { FitAbortedError, fit, GeoLayersError, stepSchedule, type TrainBatch } from '@curvad/geo-layers';
import { fusedAdam } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingEpoch } from '../../../core/results/results-file';
import { epochOrderSeed } from '../../../core/seeds';
import type { TrainProgress } from '../../../core/task';
import { ExperimentError, InterruptedError } from '../../../experiment-error';
import type { SegmentationConfig } from '../config/segmentation-config';
import type { SceneSplit } from '../data/load-data';
import type { BuiltSegmenter } from '../model/build-model';

/** Inputs are the uint8 pixels scaled to [0, 1]. */
const PIXEL_SCALE = 1 / 255;

/** Scenes `rows` of `split` as one float batch [b, h, w, c] in [0, 1] and its int32 label maps [b, h, w] (the caller disposes). */
export function sceneBatch(split: SceneSplit, rows: ArrayLike<number>): TrainBatch & { inputs: tf.Tensor4D; targets: tf.Tensor3D } {
  const [, h, w, c] = split.images.shape;
  const pixels = h * w;
  const x = new Float32Array(rows.length * pixels * c);
  const y = new Int32Array(rows.length * pixels);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const source = split.images.images.subarray(r * pixels * c, (r + 1) * pixels * c);
    for (let p = 0; p < source.length; p++) x[i * pixels * c + p] = source[p]! * PIXEL_SCALE;
    y.set(split.labels.subarray(r * pixels, (r + 1) * pixels), i * pixels);
  }
  return { inputs: tf.tensor4d(x, [rows.length, h, w, c]), targets: tf.tensor3d(y, [rows.length, h, w], 'int32') };
}

/** The batches of one epoch in `order`, each disposed when the next is asked for (or the loop ends). */
export function* sceneBatches(split: SceneSplit, batchSize: number, order: Uint32Array): Generator<TrainBatch> {
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = sceneBatch(split, order.subarray(start, start + batchSize));
    try {
      yield batch;
    } finally {
      tf.dispose([batch.inputs, batch.targets]);
    }
  }
}

/** The config's optimizer at its base learning rate (the schedule sets each epoch's). */
function makeOptimizer(config: SegmentationConfig): tf.Optimizer {
  const { name, learningRate, momentum } = config.optimizer;
  if (name === 'adam') return fusedAdam(learningRate);
  if (name === 'momentum') return tf.train.momentum(learningRate, momentum);
  return tf.train.sgd(learningRate);
}

/**
 * Trains `built` on the training scenes; returns the training curve (mean loss and seconds per
 * epoch). Throws InterruptedError when `signal` aborts, an ExperimentError naming the model when
 * geo-layers refuses the loss (e.g. it is not finite).
 */
export async function trainSegmenter(
  built: BuiltSegmenter,
  train: SceneSplit,
  config: SegmentationConfig,
  seed: number,
  progress: TrainProgress = {},
  signal?: AbortSignal,
): Promise<TrainingEpoch[]> {
  const optimizer = makeOptimizer(config);
  const rows = train.images.shape[0];
  const steps = Math.ceil(rows / config.batchSize);
  const { learningRate, gamma, milestones } = config.optimizer;
  const curve: TrainingEpoch[] = [];
  try {
    await fit(built.model, {
      epochs: config.epochs,
      optimizer,
      learningRate: stepSchedule({ learningRate, gamma, milestones }),
      batches: (epoch) => sceneBatches(train, config.batchSize, shuffledIndices(rows, epochOrderSeed(seed, epoch))),
      loss: (outputs, batch) => built.loss(outputs, batch.targets),
      ...(signal ? { signal } : {}),
      onEpochStart: (epoch) => progress.onEpochStart?.(epoch, config.epochs, steps),
      onStep: ({ step, loss }) => progress.onStep?.(step, steps, loss),
      onEpochEnd: ({ epoch, loss, seconds }) => {
        progress.onEpochEnd?.(epoch, loss);
        curve.push({ epoch, loss, seconds });
      },
    });
  } catch (error) {
    if (FitAbortedError.isInstance(error)) throw new InterruptedError('interrupted during training');
    if (GeoLayersError.isInstance(error)) throw new ExperimentError(`model ${built.name}: ${error.message}`, { cause: error });
    throw error;
  } finally {
    optimizer.dispose();
  }
  return curve;
}
