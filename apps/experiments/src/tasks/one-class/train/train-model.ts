// Training a one-class model: geo-layers' `fit` over the batches of the normal class's images, in
// a seeded order per epoch, with the config's optimizer and step schedule: RotNet's rotation
// batches, or CSI's (two SimCLR views of each image, each in its four rotations; the model's loss
// adds NT-Xent), so both families share the progress, abort and schedule behaviour. The final
// epoch's model is the one scored: no epoch is picked by a test metric.
import { shuffledIndices } from '@curvad/datasets';
import { FitAbortedError, fit, GeoLayersError, stepSchedule } from '@curvad/geo-layers';
import { fusedAdam } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingEpoch } from '../../../core/results/results-file';
import { epochOrderSeed } from '../../../core/seeds';
import type { TrainProgress } from '../../../core/task';
import { ExperimentError, InterruptedError } from '../../../experiment-error';
import type { OneClassConfig } from '../config/one-class-config';
import { csiTrainBatches } from '../data/csi-batches';
import type { OneClassData } from '../data/load-data';
import { rotationTrainBatches } from '../data/rotation-batches';
import type { BuiltRotNet } from '../model/build-model';

/** The config's optimizer at its base learning rate (the schedule sets each epoch's). */
export function makeOneClassOptimizer(config: OneClassConfig): tf.Optimizer {
  const { name, learningRate, momentum } = config.optimizer;
  if (name === 'adam') return fusedAdam(learningRate);
  if (name === 'momentum') return tf.train.momentum(learningRate, momentum);
  return tf.train.sgd(learningRate);
}

/**
 * Trains `built` on the normal class's training images in their four rotations (CSI: of two
 * augmented views each); returns the
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
      batches: (epoch) => {
        const order = shuffledIndices(rows, epochOrderSeed(seed, epoch));
        return built.family === 'csi'
          ? csiTrainBatches(data.train, config.batchSize, order, { unit: seed, epoch }, { cropScale: config.csi.cropScale })
          : rotationTrainBatches(data.train, config.batchSize, order);
      },
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
