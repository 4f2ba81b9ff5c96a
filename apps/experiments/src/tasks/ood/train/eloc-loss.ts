// The training loss of an ELOC leave-out classifier (Vyas et al. 2018, Eq. 1), on a batch of
// train/eloc-batches.ts (the ID rows first, then the held-out rows):
//   the member's own loss on the ID rows (CE on the kept classes; a HiT member: l_E + l_H)
//   + sum over its classifiers c of beta max(0, m + mean H(c(ID rows)) - mean H(c(held-out rows)))
// with marginEntropyLoss of @curvad/anomaly-scores. A HiT member's hyperbolic classifier gets the
// hinge too: the ensemble's score reads it as a leave-out classifier (model/eloc-models.ts).
// One forward pass covers both parts, so batch normalisation's training statistics are those of the
// union (as in Outlier Exposure's code, which concatenates its ID and outlier batches the same way).
import { marginEntropyLoss } from '@curvad/anomaly-scores';
import type { TrainBatch } from '@curvad/geo-layers';
import * as tf from '@tensorflow/tfjs-core';
import type { OodConfig } from '../config/ood-config';
import type { BuiltModel } from '../model/build-model';
import { elocClassifierOutputs } from '../model/eloc-models';

/** Rows [start, start + size) of a batch-first tensor. */
function rowsOf(x: tf.Tensor, start: number, size: number): tf.Tensor {
  return tf.slice(x, [start], [size]);
}

/** The loss of member `built` with the config's margin and beta, over a batch whose targets are its ID rows' labels. */
export function elocLoss(
  built: BuiltModel,
  options: Pick<OodConfig['eloc'], 'margin' | 'beta'>,
): (outputs: tf.Tensor | tf.Tensor[], batch: TrainBatch) => tf.Scalar {
  const classifiers = elocClassifierOutputs(built);
  const { margin, beta } = options;
  return (outputs, batch) =>
    tf.tidy(() => {
      const list = Array.isArray(outputs) ? outputs : [outputs];
      const idRows = batch.targets.shape[0]!;
      const heldOutRows = list[0]!.shape[0]! - idRows;
      const id = list.map((o) => rowsOf(o, 0, idRows));
      const heldOut = (i: number) => rowsOf(list[i]!, idRows, heldOutRows);
      const own = built.loss(Array.isArray(outputs) ? id : id[0]!, batch.targets);
      const hinges = classifiers.map((i) => marginEntropyLoss(id[i]!, heldOut(i), { margin, beta }));
      return tf.addN([own, ...hinges]) as tf.Scalar;
    });
}
