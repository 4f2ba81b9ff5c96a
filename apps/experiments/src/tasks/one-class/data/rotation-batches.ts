// RotNet's training batches: the datasets pipeline's batches of the normal class's images, each
// image in its four rotations (rotationBatch: rows 4i..4i+3, labels 0..3), one float batch at a time.
import { batches, type ImageSet, rotationBatch } from '@curvad/datasets';
import { tensorBatches } from '@curvad/datasets/tfjs';
import type { TrainBatch } from '@curvad/geo-layers';

/** The rotation batches of one epoch: `batchSize` images of `set` in `order`, 4 x batchSize rows, rotation labels as targets. */
export function* rotationTrainBatches(set: ImageSet, batchSize: number, order: ArrayLike<number>): Generator<TrainBatch, void, undefined> {
  const rotated = (function* () {
    for (const batch of batches(set, { batchSize, order })) yield rotationBatch(batch);
  })();
  for (const batch of tensorBatches(rotated)) yield { inputs: batch.images, targets: batch.labels };
}
