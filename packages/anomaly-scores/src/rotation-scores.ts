// RotNet's anomaly scores on the logits of a 4-way rotation classifier (r = 0..3 quarter turns).
// - Standard (Hendrycks et al. 2019, "Using Self-Supervised Learning Can Improve Model Robustness
//   and Uncertainty"): AS = sum over r of the cross-entropy of the true rotation r on the image
//   turned by r, i.e. sum_r (logsumexp(l_r) - l_r[r]).
// - Released (github JHome1/GiO-GiT, one-class-detection/calculate_roc.py): the image is turned by
//   one rotation t; AS = tanh(KL(softmax(E) || softmax(G))) for one geometric classifier,
//   tanh(sqrt(KL_S^2 + KL_H^2)) for two (MiT), 1 - max softmax(E) for plain RotNet, and AS = 1
//   whenever the Euclidean head's predicted rotation is not t. Taken literally, tanh rounds to 1
//   in float32 for a divergence above ~9, so such images tie with the misclassified ones: that is
//   the released behaviour, kept on purpose (the standard scores rank without saturation).
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';
import { oneMinusMaxSoftmax } from './max-softmax-score';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type OutputOptions, type ScoreOutput, scoreRows } from './output';
import { ROTATIONS } from './rotate-images';
import { softmaxKlDivergence } from './softmax-divergence';
import { assertFinite, assertMatrix, assertSameRows } from './validate';

function checkRotationLogits(logits: unknown, name: string): asserts logits is tf.Tensor2D {
  assertMatrix(logits, name, 'rotations');
  if (logits.shape[1] !== ROTATIONS) {
    throw new AnomalyScoreError(
      `${name}: expected [batch, 4] rotation logits (0, 90, 180, 270 degrees), got [${logits.shape.join(', ')}]; pass the rotation head's logits.`,
    );
  }
  assertFinite(logits, name);
}

/**
 * Hendrycks et al. (2019)'s RotNet score: sum over the four rotations r of the cross-entropy of the
 * true rotation, -log softmax(l_r)[r], where l_r are the rotation logits of the image turned by r.
 * Higher = more anomalous; >= 0.
 *
 * @param logitsByRotation four [batch, 4] tensors: entry r holds the logits of the images turned by r.
 */
export function rotationCrossEntropyScore<O extends OutputOptions = OutputOptions & { asTensor?: false }>(
  logitsByRotation: readonly tf.Tensor[],
  options: O = {} as O,
): ScoreOutput<O> {
  const fn = 'rotationCrossEntropyScore';
  checkOutputOptions(options, OUTPUT_OPTION_KEYS, fn);
  if (!Array.isArray(logitsByRotation) || logitsByRotation.length !== ROTATIONS) {
    throw new AnomalyScoreError(`${fn}: pass 4 tensors, the rotation logits of the images turned by 0, 1, 2 and 3 quarter turns.`);
  }
  for (const [r, l] of logitsByRotation.entries()) checkRotationLogits(l, `${fn}: logitsByRotation[${r}]`);
  assertSameRows(
    logitsByRotation,
    logitsByRotation.map((_, r) => `${fn}: logitsByRotation[${r}]`),
  );
  return scoreRows(
    logitsByRotation,
    (chunks) =>
      tf.addN(
        chunks.map((l, r) => {
          const logSoftmax = tf.logSoftmax(l as tf.Tensor2D);
          return tf.neg(tf.squeeze(tf.slice(logSoftmax, [0, r], [-1, 1]), [1]));
        }),
      ),
    options,
  );
}

/** Released-protocol score of a rotation at its ceiling: the value a wrongly predicted rotation gets. */
export const RELEASED_WRONG_ROTATION_SCORE = 1;

/**
 * The released code's RotNet score on images each turned by one rotation `rotations[i]`:
 * tanh of the divergence between the Euclidean and the geometric rotation classifiers (KL for one,
 * sqrt of the summed squares for several), 1 - max softmax without geometric classifiers, and 1
 * where argmax of the Euclidean logits is not the applied rotation. Higher = more anomalous, in [0, 1].
 *
 * @param euclidean [batch, 4] Euclidean rotation logits.
 * @param geometric the geometric heads' [batch, 4] rotation logits (none for plain RotNet).
 * @param rotations the rotation applied to each image (integers 0..3).
 */
export function releasedRotationScore<O extends OutputOptions = OutputOptions & { asTensor?: false }>(
  euclidean: tf.Tensor,
  geometric: readonly tf.Tensor[],
  rotations: ArrayLike<number>,
  options: O = {} as O,
): ScoreOutput<O> {
  const fn = 'releasedRotationScore';
  checkOutputOptions(options, OUTPUT_OPTION_KEYS, fn);
  checkRotationLogits(euclidean, `${fn}: euclidean`);
  if (!Array.isArray(geometric))
    throw new AnomalyScoreError(`${fn}: geometric must be an array of [batch, 4] tensors (empty for plain RotNet).`);
  for (const [i, g] of geometric.entries()) checkRotationLogits(g, `${fn}: geometric[${i}]`);
  assertSameRows([euclidean, ...geometric], [`${fn}: euclidean`, ...geometric.map((_, i) => `${fn}: geometric[${i}]`)]);
  if (rotations.length !== euclidean.shape[0]) {
    throw new AnomalyScoreError(
      `${fn}: ${rotations.length} rotations for ${euclidean.shape[0]} rows; give the rotation applied to each image.`,
    );
  }
  const applied = Int32Array.from({ length: rotations.length }, (_, i) => {
    const r = rotations[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= ROTATIONS) {
      throw new AnomalyScoreError(`${fn}: rotations[${i}] is ${String(r)}; rotations are the integers 0..3 (quarter turns).`);
    }
    return r;
  });
  return tf.tidy(() => {
    const appliedTensor = tf.tensor1d(applied, 'int32');
    return scoreRows(
      [euclidean, ...geometric, appliedTensor],
      (chunks) => {
        const e = chunks[0] as tf.Tensor2D;
        const truth = chunks[chunks.length - 1]!;
        const branches = chunks.slice(1, -1) as tf.Tensor2D[];
        let score: tf.Tensor;
        if (branches.length === 0) score = oneMinusMaxSoftmax(e, 1);
        else if (branches.length === 1) score = tf.tanh(softmaxKlDivergence(e, branches[0]!));
        else score = tf.tanh(tf.sqrt(tf.addN(branches.map((g) => tf.square(softmaxKlDivergence(e, g))))));
        const wrong = tf.notEqual(tf.argMax(e, 1), truth);
        return tf.where(wrong, tf.fill(score.shape, RELEASED_WRONG_ROTATION_SCORE), score);
      },
      options,
    );
  }) as ScoreOutput<O>;
}
