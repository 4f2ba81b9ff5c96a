// Eq. 13 of the paper: z_EM = sqrt(sum_i z_EM,i^2) for the mixed GiT model (MiT), each z_EM,i the
// Eq. 12 divergence between the Euclidean branch and geometric branch i (e.g. z_ES and z_EH).
// The released segmentation code scores MiT as sqrt(maxlogit^2 + z_ES^2 + z_EH^2): offered as
// `euclideanMaxLogit: true`.
import * as tf from '@tensorflow/tfjs-core';
import { checkBranchPair, type DivergenceScoreOptions, rejectEmptyBranches, resolveDivergenceOptions } from './divergence-score';
import { AnomalyScoreError } from './errors';
import { orientGeometricScore } from './geometric-output';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type ScoreOutput, scoreRows } from './output';
import { softmaxKlDivergence } from './softmax-divergence';
import { assertBoolean } from './validate';

export interface MixedDivergenceScoreOptions extends DivergenceScoreOptions {
  /**
   * Add the squared Euclidean max logit under the root, as the released segmentation code does
   * (sqrt(maxlogit^2 + z_ES^2 + z_EH^2)). Needs `input: 'logits'`. Default false (the text).
   */
  euclideanMaxLogit?: boolean;
}

/**
 * Mixed Euclidean-geometric divergence score z_EM (the paper's Eq. 13) for MiT models:
 * z_EM = sqrt(sum_i KL(softmax(euclidean) || softmax(geometric[i]))^2).
 *
 * Orientation as `divergenceScore` (same `input` and `direction` options and defaults): with
 * `'larger-is-anomalous'` AS = tanh(z_EM) (the released code's tanh(sqrt(KL_s^2 + KL_h^2))), with
 * `'larger-is-normal'` AS = 1 - tanh(z_EM) (the text). AS and `'rank'` are higher = more anomalous.
 *
 * @param euclidean [batch, n] Euclidean classifier logits (or embedding).
 * @param geometric one [batch, n] tensor per geometric branch (e.g. [spherical, hyperbolic]).
 * @param options `input`, `direction`, `euclideanMaxLogit`, `output`, `asTensor`, `batchSize` (8192).
 */
export function mixedDivergenceScore<O extends MixedDivergenceScoreOptions = MixedDivergenceScoreOptions & { asTensor?: false }>(
  euclidean: tf.Tensor,
  geometric: readonly tf.Tensor[],
  options: O = {} as O,
): ScoreOutput<O> {
  const fn = 'mixedDivergenceScore';
  checkOutputOptions(options, [...OUTPUT_OPTION_KEYS, 'output', 'input', 'direction', 'euclideanMaxLogit'], fn);
  const { input, largerZMeans } = resolveDivergenceOptions(options, fn);
  const withMaxLogit = options.euclideanMaxLogit ?? false;
  assertBoolean(withMaxLogit, `${fn}: euclideanMaxLogit`);
  if (withMaxLogit && input !== 'logits') {
    throw new AnomalyScoreError(`${fn}: euclideanMaxLogit needs input: 'logits' (a max logit of an embedding means nothing).`);
  }
  rejectEmptyBranches(geometric, fn);
  geometric.forEach((g, i) => {
    checkBranchPair(euclidean, g, input, fn, `geometric[${i}]`);
  });
  const output = options.output ?? 'anomaly';
  return scoreRows(
    [euclidean, ...geometric],
    ([e, ...gs]) => {
      const squares: tf.Tensor[] = gs.map((g) => tf.square(softmaxKlDivergence(e as tf.Tensor2D, g as tf.Tensor2D)));
      if (withMaxLogit) squares.push(tf.square(tf.max(e!, 1)));
      return orientGeometricScore(tf.sqrt(tf.addN(squares)), output, largerZMeans);
    },
    options,
  );
}
