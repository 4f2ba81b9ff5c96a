// The training batches of one ELOC leave-out classifier: each step's batch carries an ID batch of the
// kept classes (labels renumbered to the classifier's 0..kept-1) followed by a batch of the held-out
// classes, drawn alongside it, for the margin entropy hinge (train/eloc-loss.ts). Both come from the
// datasets pipeline with an explicit `order` over the uint8 training set, so only the step's batches
// are ever float32; the held-out rows, fewer than the kept ones, are cycled, reshuffled every pass.
import { batches, type LeaveOutFold, leaveOutSplit, shuffledIndices } from '@curvad/datasets';
import { type TensorBatch, tensorBatches } from '@curvad/datasets/tfjs';
import type { TrainBatch } from '@curvad/geo-layers';
import * as tf from '@tensorflow/tfjs-core';
import type { PipelineImages } from '../../../core/eval-images';
import { epochOrderSeed } from '../../../core/seeds';
import { ExperimentError } from '../../../experiment-error';
import { heldOutOrderSeed } from '../eloc-seeds';

/** The label of a held-out row in a fold's training set (never a target: held-out rows only feed the hinge). */
export const HELD_OUT_LABEL = 255;

/** The training set of one leave-out classifier: the same uint8 images, labels renumbered for the fold. */
export interface FoldTrainSet {
  /** The ID training images; labels: the kept classes renumbered, HELD_OUT_LABEL on held-out rows. */
  set: PipelineImages;
  /** Rows of kept classes (the ID batches). */
  keptRows: Uint32Array;
  /** Rows of held-out classes (the held-out batches). */
  heldOutRows: Uint32Array;
}

/** The fold's view of the training set (labels copied and renumbered; the images are shared, not copied). */
export function foldTrainSet(train: PipelineImages, fold: LeaveOutFold): FoldTrainSet {
  const split = leaveOutSplit(train.labels, fold);
  if (split.keptIndices.length === 0 || split.heldOutIndices.length === 0) {
    throw new ExperimentError(
      `ELOC fold ${fold.fold + 1}: the training set has ${split.keptIndices.length} images of the kept classes [${fold.kept.join(', ')}] and ` +
        `${split.heldOutIndices.length} of the held-out classes [${fold.heldOut.join(', ')}]; each needs at least one (raise limits.train).`,
    );
  }
  const labels = new Uint8Array(train.labels.length).fill(HELD_OUT_LABEL);
  split.keptIndices.forEach((row, i) => {
    labels[row] = split.keptLabels[i]!;
  });
  return { set: { ...train, labels }, keptRows: split.keptIndices, heldOutRows: split.heldOutIndices };
}

/** `rows` in a seeded shuffled order. */
function shuffledRows(rows: Uint32Array, seed: number): Uint32Array {
  return shuffledIndices(rows.length, seed).map((i) => rows[i]!);
}

function batchOptions(set: PipelineImages, batchSize: number, order: Uint32Array, dropLast: boolean) {
  return { batchSize, order, dropLast, ...(set.normalize ? { normalize: set.normalize } : {}) };
}

/**
 * Held-out batches without end: passes over the held-out rows, each in its own seeded order, of
 * min(batchSize, held-out rows) rows (a pass's short last batch is dropped, so every batch is full).
 */
function* heldOutBatches(fold: FoldTrainSet, batchSize: number, seed: number, epoch: number): Generator<TensorBatch, never, undefined> {
  const rows = Math.min(batchSize, fold.heldOutRows.length);
  for (let pass = 0; ; pass++) {
    const order = shuffledRows(fold.heldOutRows, heldOutOrderSeed(seed, epoch, pass));
    yield* tensorBatches(batches(fold.set, batchOptions(fold.set, rows, order, true)));
  }
}

/**
 * Epoch `epoch`'s batches of a leave-out classifier seeded `seed`: the kept rows in the order
 * epochOrderSeed(seed, epoch), batchSize at a time; each step's `inputs` are that ID batch followed by
 * a held-out batch (min(batchSize, held-out rows) rows), `targets` the ID rows' renumbered labels (so
 * the loss splits the outputs at targets.shape[0]). Each batch's tensors are valid until the next.
 */
export function* elocTrainBatches(
  fold: FoldTrainSet,
  batchSize: number,
  seed: number,
  epoch: number,
): Generator<TrainBatch, void, undefined> {
  const idOrder = shuffledRows(fold.keptRows, epochOrderSeed(seed, epoch));
  const heldOut = heldOutBatches(fold, batchSize, seed, epoch);
  try {
    for (const id of tensorBatches(batches(fold.set, batchOptions(fold.set, batchSize, idOrder, false)))) {
      const out = heldOut.next().value;
      const inputs = tf.concat([id.images, out.images]);
      try {
        yield { inputs, targets: id.labels };
      } finally {
        inputs.dispose();
      }
    }
  } finally {
    heldOut.return(undefined as never);
  }
}
