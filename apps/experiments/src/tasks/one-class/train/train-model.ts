// Training a RotNet model: geo-layers' `fit` over the rotation batches of the normal class's
// images, in a seeded order per epoch, with the config's optimizer and step schedule. The final
// epoch's model is the one scored: no epoch is picked by a test metric.
import { shuffledIndices } from '@curvad/datasets';
import { FitAbortedError, fit, GeoLayersError, stepSchedule } from '@curvad/geo-layers';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingEpoch } from '../../../core/results/results-file';
import { epochOrderSeed } from '../../../core/seeds';
import type { TrainProgress } from '../../../core/task';
import { ExperimentError, InterruptedError } from '../../../experiment-error';
import type { OneClassConfig } from '../config/one-class-config';
import type { OneClassData } from '../data/load-data';
import { rotationTrainBatches } from '../data/rotation-batches';
import type { BuiltRotNet } from '../model/build-model';

/** The config's optimizer at its base learning rate (the schedule sets each epoch's). */
export function makeOneClassOptimizer(config: OneClassConfig): tf.Optimizer {
  const { name, learningRate, momentum } = config.optimizer;
  if (name === 'adam') return tf.train.adam(learningRate);
  if (name === 'momentum') return tf.train.momentum(learningRate, momentum);
  return tf.train.sgd(learningRate);
}

/**
 * Trains `built` on the normal class's training images in their four rotations; returns the
 * training curve (mean loss and seconds per epoch). Throws InterruptedError when `signal` aborts,
 * an ExperimentError naming the model on a non-finite loss.
 */
export async function trainRotNet(
  built: BuiltRotNet,
  data: Pick<OneClassData, 'train'>,
  config: OneClassConfig,
  seed: number,
  progress: TrainProgress = {},
  signal?: AbortSignal,
): Promise<TrainingEpoch[]> {
  const optimizer = makeOneClassOptimizer(config);
  const rows = data.train.shape[0];
  const steps = Math.ceil(rows / config.batchSize);
  const { learningRate, gamma, milestones } = config.optimizer;
  const curve: TrainingEpoch[] = [];
  try {
    await fit(built.model, {
      epochs: config.epochs,
      optimizer,
      learningRate: stepSchedule({ learningRate, gamma, milestones }),
      batches: (epoch) => rotationTrainBatches(data.train, config.batchSize, shuffledIndices(rows, epochOrderSeed(seed, epoch))),
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
