// Training an OOD model: geo-layers' `fit` (the project's one training loop) over mini-batches the
// datasets pipeline makes from the uint8 training set, in a seeded order per epoch, with the
// config's optimizer and step schedule.
import { batches, shuffledIndices } from '@curvad/datasets';
import { tensorBatches } from '@curvad/datasets/tfjs';
import { FitAbortedError, fit, GeoLayersError, stepSchedule, type TrainBatch } from '@curvad/geo-layers';
import { fusedAdam } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type { PipelineImages } from '../../../core/eval-images';
import type { TrainingEpoch } from '../../../core/results/results-file';
import { epochOrderSeed } from '../../../core/seeds';
import type { TrainProgress } from '../../../core/task';
import { ExperimentError, InterruptedError } from '../../../experiment-error';
import type { OodConfig } from '../config/ood-config';
import type { BuiltModel } from '../model/build-model';

/** The config's optimizer, at its base learning rate (the schedule sets each epoch's). */
export function makeOptimizer(config: OodConfig): tf.Optimizer {
  const { name, learningRate, momentum } = config.optimizer;
  if (name === 'adam') return fusedAdam(learningRate);
  if (name === 'momentum') return tf.train.momentum(learningRate, momentum);
  return tf.train.sgd(learningRate);
}

/** The step schedule of the papers as the config sets it: learningRate x gamma^(milestones passed). */
export function learningRateSchedule(config: OodConfig): (epoch: number) => number {
  const { learningRate, gamma, milestones } = config.optimizer;
  return stepSchedule({ learningRate, gamma, milestones });
}

/** The training batches of one epoch: the rows in `order`, batchSize at a time (normalized as the set says), labels as the targets. */
export function* trainBatches(train: PipelineImages, batchSize: number, order: ArrayLike<number>): Generator<TrainBatch, void, undefined> {
  const normalize = train.normalize ? { normalize: train.normalize } : {};
  for (const batch of tensorBatches(batches(train, { batchSize, order, ...normalize })))
    yield { inputs: batch.images, targets: batch.labels };
}

/** What a failed `fit` becomes: an abort an InterruptedError, a geo-layers error an ExperimentError naming `model`. */
export function trainingError(model: string, error: unknown): unknown {
  if (FitAbortedError.isInstance(error)) return new InterruptedError('interrupted during training');
  if (GeoLayersError.isInstance(error)) return new ExperimentError(`model ${model}: ${error.message}`, { cause: error });
  return error;
}

/**
 * Mini-batch training on the model's loss with a seeded shuffle per epoch (epochOrderSeed of the
 * unit's seed). Stops between steps when `signal` is aborted (throws InterruptedError); fails with
 * an ExperimentError naming the model on a non-finite loss. Returns the training curve: mean loss
 * and wall time (training steps only) per epoch, plus the ID accuracy `epochAccuracy` measures
 * after an epoch when given (it may return undefined to skip).
 */
export async function trainModel(
  built: BuiltModel,
  train: PipelineImages,
  config: OodConfig,
  seed: number,
  progress: TrainProgress = {},
  signal?: AbortSignal,
  epochAccuracy?: (epoch: number) => Promise<number | undefined>,
): Promise<TrainingEpoch[]> {
  const optimizer = makeOptimizer(config);
  const rows = train.shape[0];
  const steps = Math.ceil(rows / config.batchSize);
  const curve: TrainingEpoch[] = [];
  try {
    await fit(built.model, {
      epochs: config.epochs,
      optimizer,
      learningRate: learningRateSchedule(config),
      batches: (epoch) => trainBatches(train, config.batchSize, shuffledIndices(rows, epochOrderSeed(seed, epoch))),
      loss: (outputs, batch) => built.loss(outputs, batch.targets),
      ...(signal ? { signal } : {}),
      onEpochStart: (epoch) => progress.onEpochStart?.(epoch, config.epochs, steps),
      onStep: ({ step, loss }) => progress.onStep?.(step, steps, loss),
      onEpochEnd: async ({ epoch, loss, seconds }) => {
        progress.onEpochEnd?.(epoch, loss);
        const idAccuracy = await epochAccuracy?.(epoch);
        curve.push({ epoch, loss, seconds, ...(idAccuracy === undefined ? {} : { idAccuracy }) });
      },
    });
  } catch (error) {
    throw trainingError(built.name, error);
  } finally {
    optimizer.dispose();
  }
  return curve;
}
