// Training a Patch-SVDD model as the released main_train.py: Adam on the encoder and both scales'
// position classifiers; each step draws, per scale, `batchSize` position pairs (with the colour shift
// and pixel noise) and `batchSize` SVDD' pairs from random training images, and minimises
//   sum_scales positionLoss + svddWeight x sum_scales svddLoss.
// The released code runs 1,200 epochs of 100 repeats of the training set; we count steps
// (`stepsPerEpoch`) instead, so the size of a unit does not depend on the number of images. The final
// step's model is scored (no selection on test images).
import { createRng } from '@curvad/datasets';
import { fusedAdam } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingEpoch } from '../../../core/results/results-file';
import { epochOrderSeed } from '../../../core/seeds';
import type { TrainProgress } from '../../../core/task';
import { ExperimentError, InterruptedError } from '../../../experiment-error';
import type { PatchSvddConfig } from '../config/patch-svdd-config';
import { type FloatImages, type PatchPairBatch, positionPairs, svddPairs } from '../data/patch-pairs';
import { applyPositionClassifiers, type BuiltPatchSvdd, PATCH_SCALES, type PatchScale } from '../model/build-model';
import { positionLoss, svddLoss } from '../model/losses';

/** The pairs of one step: per scale, position pairs and SVDD' pairs. */
export type StepPairs = Record<PatchScale, { position: PatchPairBatch; svdd: PatchPairBatch }>;

/** Draws one step's pairs from `images`. */
export function drawStepPairs(
  built: BuiltPatchSvdd,
  images: FloatImages,
  config: Pick<PatchSvddConfig, 'batchSize' | 'positionNoise'>,
  rng: ReturnType<typeof createRng>,
): StepPairs {
  const pairs = {} as StepPairs;
  for (const scale of PATCH_SCALES) {
    const K = built.patchSize[scale];
    pairs[scale] = {
      position: positionPairs(images, K, config.batchSize, rng, config.positionNoise),
      svdd: svddPairs(images, K, config.batchSize, rng),
    };
  }
  return pairs;
}

/** The step's loss on `pairs` (a scalar; call inside tf.tidy or optimizer.minimize). */
export function stepLoss(built: BuiltPatchSvdd, pairs: StepPairs, channels: number, svddWeight: number, training = true): tf.Scalar {
  const terms: tf.Scalar[] = [];
  for (const scale of PATCH_SCALES) {
    const K = built.patchSize[scale];
    const { position, svdd } = pairs[scale];
    const b = position.labels!.length;
    const bs = svdd.firstAt.length / 2;
    const shape = (n: number): [number, number, number, number] => [n, K, K, channels];
    // One encoder pass over the four sets of patches: position first, second, SVDD first, second.
    const patches = tf.concat([
      tf.tensor4d(position.first, shape(b)),
      tf.tensor4d(position.second, shape(b)),
      tf.tensor4d(svdd.first, shape(bs)),
      tf.tensor4d(svdd.second, shape(bs)),
    ]);
    const embeddings = built.encoders[scale].apply(patches, { training }) as tf.Tensor2D;
    const [centre, neighbour, s1, s2] = tf.split(embeddings, [b, b, bs, bs], 0) as tf.Tensor2D[];
    const outputs = applyPositionClassifiers(built.classifiers[scale], centre!, neighbour!, tf.sub(centre!, neighbour!), training);
    terms.push(positionLoss(outputs, tf.tensor1d(position.labels!, 'int32')));
    terms.push(tf.mul(svddWeight, svddLoss(s1!, s2!)));
  }
  return tf.addN(terms) as tf.Scalar;
}

/**
 * Trains `built` on the standardized training images; returns the training curve (mean loss and
 * seconds per epoch). Throws InterruptedError when `signal` aborts, an ExperimentError naming the
 * model when the loss is not finite.
 */
export async function trainPatchSvdd(
  built: BuiltPatchSvdd,
  images: FloatImages,
  config: PatchSvddConfig,
  seed: number,
  progress: TrainProgress = {},
  signal?: AbortSignal,
): Promise<TrainingEpoch[]> {
  const optimizer = fusedAdam(config.optimizer.learningRate);
  const channels = images.shape[3];
  const weights = built.trainableWeights();
  const steps = config.stepsPerEpoch;
  const curve: TrainingEpoch[] = [];
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      progress.onEpochStart?.(epoch, config.epochs, steps);
      const started = performance.now();
      const rng = createRng(epochOrderSeed(seed, epoch));
      let total = 0;
      for (let step = 0; step < steps; step++) {
        if (signal?.aborted) throw new InterruptedError('interrupted during training');
        const pairs = drawStepPairs(built, images, config, rng);
        const cost = optimizer.minimize(() => stepLoss(built, pairs, channels, config.svddWeight), true, weights);
        const loss = (await cost!.data())[0]!;
        cost!.dispose();
        if (!Number.isFinite(loss)) {
          throw new ExperimentError(
            `model ${built.name}: the training loss became ${loss} at epoch ${epoch + 1}, step ${step + 1}; lower optimizer.learningRate.`,
          );
        }
        total += loss;
        progress.onStep?.(step, steps, loss);
        // Let an abort signal and progress output through between steps.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const loss = total / steps;
      progress.onEpochEnd?.(epoch, loss);
      curve.push({ epoch, loss, seconds: (performance.now() - started) / 1000 });
    }
  } finally {
    optimizer.dispose();
  }
  return curve;
}
