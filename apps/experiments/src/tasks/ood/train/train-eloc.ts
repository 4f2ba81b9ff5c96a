// Training an ELOC unit: its K leave-out classifiers one after the other, each through geo-layers'
// `fit` (the project's one loop) with the config's optimizer and step schedule, on the batches of
// train/eloc-batches.ts and the loss of train/eloc-loss.ts.
import { fit } from '@curvad/geo-layers';
import type { PipelineImages } from '../../../core/eval-images';
import type { TrainingEpoch } from '../../../core/results/results-file';
import type { TrainProgress } from '../../../core/task';
import type { OodConfig } from '../config/ood-config';
import { foldSeed } from '../eloc-seeds';
import type { BuiltEloc } from '../model/eloc-models';
import { elocTrainBatches, foldTrainSet } from './eloc-batches';
import { elocLoss } from './eloc-loss';
import { learningRateSchedule, makeOptimizer, trainingError } from './train-model';

/** The config a member trains with: `eloc.epochs` and `eloc.optimizer` over the config's when set. */
export function elocTrainingConfig(config: OodConfig): OodConfig {
  return { ...config, epochs: config.eloc.epochs ?? config.epochs, optimizer: config.eloc.optimizer ?? config.optimizer };
}

/**
 * Trains every member of `eloc` for eloc.epochs (else config.epochs) epochs (member k seeded foldSeed(unitSeed, k)).
 * Progress counts the members' epochs in a row (member k's epoch e is epoch k * epochs + e of
 * folds * epochs); so does the returned training curve (mean loss, training seconds per epoch).
 */
export async function trainElocModels(
  eloc: BuiltEloc,
  train: PipelineImages,
  experimentConfig: OodConfig,
  unitSeed: number,
  progress: TrainProgress = {},
  signal?: AbortSignal,
): Promise<TrainingEpoch[]> {
  const config = elocTrainingConfig(experimentConfig);
  const curve: TrainingEpoch[] = [];
  const totalEpochs = eloc.members.length * config.epochs;
  for (const { fold, built } of eloc.members) {
    const data = foldTrainSet(train, fold);
    const seed = foldSeed(unitSeed, fold.fold);
    const steps = Math.ceil(data.keptRows.length / config.batchSize);
    const first = fold.fold * config.epochs;
    const optimizer = makeOptimizer(config);
    try {
      await fit(built.model, {
        epochs: config.epochs,
        optimizer,
        learningRate: learningRateSchedule(config),
        batches: (epoch) => elocTrainBatches(data, config.batchSize, seed, epoch),
        loss: elocLoss(built, config.eloc),
        ...(signal ? { signal } : {}),
        onEpochStart: (epoch) => progress.onEpochStart?.(first + epoch, totalEpochs, steps),
        onStep: ({ step, loss }) => progress.onStep?.(step, steps, loss),
        onEpochEnd: ({ epoch, loss, seconds }) => {
          progress.onEpochEnd?.(first + epoch, loss);
          curve.push({ epoch: first + epoch, loss, seconds });
        },
      });
    } catch (error) {
      throw trainingError(`${eloc.name} (leave-out classifier ${fold.fold + 1} of ${eloc.members.length})`, error);
    } finally {
      optimizer.dispose();
    }
  }
  return curve;
}
