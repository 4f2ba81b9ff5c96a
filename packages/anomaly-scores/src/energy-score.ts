// Energy score: Liu, Wang, Owens, Li, "Energy-based Out-of-distribution Detection", NeurIPS 2020.
import * as tf from '@tensorflow/tfjs-core';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type OutputOptions, type ScoreOutput, scoreRows } from './output';
import { assertFinite, assertMatrix, assertPositiveNumber } from './validate';

export interface EnergyOptions extends OutputOptions {
  /** Temperature T of the free energy. Default 1, as Liu et al. recommend for detection. */
  temperature?: number;
}

/**
 * Free-energy anomaly score (Liu et al., NeurIPS 2020): E(x; T) = -T logsumexp_j(l_j / T).
 *
 * Orientation: higher = more anomalous (Liu et al. use the negative energy as the ID score, so
 * the energy itself ranks anomalies). At T = 1 it is -logsumexp(l). Computed with the max-shift
 * logsumexp, so it is finite for any finite logits.
 *
 * @param logits [batch, classes] classifier outputs.
 * @param options `temperature` (default 1), `asTensor`, `batchSize` (default 8192 rows).
 */
export function energyScore<O extends EnergyOptions = EnergyOptions & { asTensor?: false }>(
  logits: tf.Tensor,
  options: O = {} as O,
): ScoreOutput<O> {
  checkOutputOptions(options, [...OUTPUT_OPTION_KEYS, 'temperature'], 'energyScore');
  const temperature = options.temperature ?? 1;
  assertPositiveNumber(temperature, 'energyScore: temperature');
  assertMatrix(logits, 'energyScore: logits', 'classes');
  assertFinite(logits, 'energyScore: logits');
  return scoreRows([logits], ([l]) => tf.mul(-temperature, tf.logSumExp(tf.div(l!, temperature), 1)), options);
}
