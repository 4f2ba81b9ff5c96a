// The ID accuracy of an ELOC ensemble (Vyas et al. 2018, Sec. 3.3): each leave-out classifier's
// softmax is placed back on the original class ids (a held-out class gets 0 from that classifier), the
// K placed distributions are summed, and the argmax is the predicted class.
import type { LeaveOutFold } from '@curvad/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { ExperimentError } from '../../../experiment-error';

/** [kept, classes] with a 1 at (j, kept[j]): softmax rows times it are the rows on the original class ids. */
function placement(fold: LeaveOutFold): tf.Tensor2D {
  const classes = fold.remap.length;
  const values = new Float32Array(fold.kept.length * classes);
  fold.kept.forEach((c, j) => {
    values[j * classes + c] = 1;
  });
  return tf.tensor2d(values, [fold.kept.length, classes]);
}

/**
 * The fraction of rows whose ensemble prediction equals `labels` (original class ids);
 * `logitsPerFold[k]` are classifier k's logits over its kept classes, in `folds[k]`'s numbering.
 */
export function ensembleAccuracy(logitsPerFold: readonly tf.Tensor2D[], folds: readonly LeaveOutFold[], labels: ArrayLike<number>): number {
  if (logitsPerFold.length !== folds.length) {
    throw new ExperimentError(`ensembleAccuracy: ${logitsPerFold.length} classifiers' logits for ${folds.length} folds.`);
  }
  if (labels.length === 0) return 0;
  const predicted = tf.tidy(() => {
    const summed = tf.addN(logitsPerFold.map((logits, k) => tf.matMul(tf.softmax(logits), placement(folds[k]!))));
    return tf.argMax(summed, 1);
  });
  const values = predicted.dataSync();
  predicted.dispose();
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (values[i] === labels[i]) correct++;
  return correct / labels.length;
}
