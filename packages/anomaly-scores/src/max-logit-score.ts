// MaxLogit: Hendrycks, Basart, Mazeika, Zou, Kwon, Mostajabi, Steinhardt, Song, "Scaling
// Out-of-Distribution Detection for Real-World Settings", ICML 2022. The GiO-GiT segmentation
// code also offers it as a baseline.
import * as tf from '@tensorflow/tfjs-core';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type OutputOptions, type ScoreOutput, scoreRows } from './output';
import { assertFinite, assertMatrix } from './validate';

/**
 * MaxLogit anomaly score (Hendrycks et al., ICML 2022): AS = -max_j l_j.
 *
 * Orientation: higher = more anomalous (a small top logit is suspicious). Unlike MSP it is not
 * invariant to shifting all logits, which is the point: it keeps the logit scale.
 *
 * @param logits [batch, classes] classifier outputs.
 * @param options `asTensor`, `batchSize` (default 8192 rows).
 */
export function maxLogitScore<O extends OutputOptions = OutputOptions & { asTensor?: false }>(
  logits: tf.Tensor,
  options: O = {} as O,
): ScoreOutput<O> {
  checkOutputOptions(options, OUTPUT_OPTION_KEYS, 'maxLogitScore');
  assertMatrix(logits, 'maxLogitScore: logits', 'classes');
  assertFinite(logits, 'maxLogitScore: logits');
  return scoreRows([logits], ([l]) => tf.neg(tf.max(l!, 1)), options);
}
