// ELOC's score (Vyas et al., "Out-of-Distribution Detection Using an Ensemble of Self Supervised
// Leave-out Classifiers", ECCV 2018, Sec. 3.3): for K leave-out classifiers,
//   S(x) = sum_k [max_j p_k,j - H(p_k)],   p_k = softmax(f_k(x) / T),  T = 1000,
// larger = more in-distribution. Our rule is higher = more anomalous, so the default output is -S.
//
// Numerics: at T = 1000 every p_k is within about 1e-2 of uniform, so max p - H(p) is
// 1/C - log C plus a sample-dependent part of order (spread of l / T)^2 ~ 1e-5. Computed literally in
// float32 that part drowns in the rounding of log C (about 2.4e-7 per classifier) and the
// samples tie. We compute the part that varies exactly,
//   max p - H(p) = (1/C - log C) + [(max p - 1/C) + KL(p || uniform)],
// from the row-centred scaled logits c (mean 0) with log(C p_j) = c_j - log mean exp(c), and
// log mean exp(c) = cmax + log1p(mean expm1(c - cmax)) while cmax <= 1 (no cancellation near uniform),
// the usual max-shifted form otherwise. `output: 'rank'` returns minus the bracket alone, which keeps
// the float32 resolution of the ranking; 'anomaly' adds the constant back (as the paper's number).
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type OutputOptions, type ScoreOutput, scoreRows } from './output';
import { assertFinite, assertMatrix, assertOneOf, assertPositiveNumber, assertSameRows, assertSeveralColumns } from './validate';

/** Vyas et al. use T = 1000 (after ODIN) for the score and the input step. */
export const ELOC_DEFAULT_TEMPERATURE = 1000;

/**
 * What `elocScore` returns.
 * - `'anomaly'` (default): -S(x) = -sum_k [max p_k - H(p_k)], higher = more anomalous.
 * - `'rank'`: -S(x) + sum_k (1/C_k - log C_k): the same order without the constant, so it keeps its
 *   float32 resolution at T = 1000 (use it for AUROC and friends).
 * - `'confidence'`: S(x) itself, the paper's number (larger = more in-distribution).
 */
export type ElocOutput = 'anomaly' | 'rank' | 'confidence';

export const ELOC_OUTPUTS: readonly ElocOutput[] = ['anomaly', 'rank', 'confidence'];

export interface ElocScoreOptions extends OutputOptions {
  /** Softmax temperature T. Default 1000 (Vyas et al.). */
  temperature?: number;
  /** Default `'anomaly'`; see `ElocOutput`. */
  output?: ElocOutput;
}

/** Below this max of the centred scaled logits, log mean exp uses expm1/log1p (its error is then <= e * float eps). */
const EXPM1_RANGE = 1;

/**
 * Per row, (max p - 1/C) + KL(p || uniform) with p = softmax(logits / T): max p - H(p) minus the
 * constant 1/C - log C, computed without cancellation near the uniform distribution. Differentiable.
 */
export function centredLeaveOutConfidence(logits: tf.Tensor2D, temperature: number): tf.Tensor1D {
  return tf.tidy(() => {
    const classes = logits.shape[1];
    const scaled = tf.div(logits, temperature);
    const c = tf.sub(scaled, tf.mean(scaled, 1, true));
    const cMax = tf.max(c, 1, true);
    // Both forms stay finite for every row (c - cMax <= 0, and the mean of expm1 is > -1), so blending
    // them with a 0/1 mask is exact and its gradient carries no NaN from the form not picked. The mask
    // comes from sign (gradient 0): tfjs registers no gradient for the comparison ops tf.where needs.
    const nearUniform = tf.add(cMax, tf.log1p(tf.mean(tf.expm1(tf.sub(c, cMax)), 1, true)));
    const shifted = tf.sub(tf.add(cMax, tf.log(tf.sum(tf.exp(tf.sub(c, cMax)), 1, true))), Math.log(classes));
    const useNearUniform = tf.relu(tf.sign(tf.sub(EXPM1_RANGE, cMax)));
    const logMeanExp = tf.add(tf.mul(useNearUniform, nearUniform), tf.mul(tf.sub(1, useNearUniform), shifted));
    const logCp = tf.sub(c, logMeanExp);
    const p = tf.div(tf.exp(logCp), classes);
    const kl = tf.sum(tf.mul(p, logCp), 1);
    const maxAboveUniform = tf.div(tf.expm1(tf.sub(cMax, logMeanExp)), classes);
    return tf.add(tf.reshape(maxAboveUniform, [-1]), kl) as tf.Tensor1D;
  });
}

/** sum_k (1/C_k - log C_k): what `centredLeaveOutConfidence` leaves out of max p - H(p), summed. */
export function leaveOutConfidenceOffset(classCounts: readonly number[]): number {
  return classCounts.reduce((sum, c) => sum + 1 / c - Math.log(c), 0);
}

/** Sum over the classifiers of the centred confidence, as a [rows] tensor; differentiable. */
export function summedCentredConfidence(logitsPerClassifier: readonly tf.Tensor2D[], temperature: number): tf.Tensor1D {
  return tf.tidy(() => tf.addN(logitsPerClassifier.map((l) => centredLeaveOutConfidence(l, temperature))) as tf.Tensor1D);
}

/** Turns the summed centred confidence into the requested output. */
export function orientEloc(centred: tf.Tensor1D, offset: number, output: ElocOutput): tf.Tensor1D {
  if (output === 'rank') return tf.neg(centred);
  const confidence = tf.add(centred, offset);
  return (output === 'confidence' ? confidence : tf.neg(confidence)) as tf.Tensor1D;
}

/** Checks the ELOC options; returns the resolved temperature and output. */
export function planEloc(options: ElocScoreOptions, extraKeys: readonly string[], fn: string): { temperature: number; output: ElocOutput } {
  checkOutputOptions(options, [...OUTPUT_OPTION_KEYS, 'temperature', 'output', ...extraKeys], fn);
  const temperature = options.temperature ?? ELOC_DEFAULT_TEMPERATURE;
  assertPositiveNumber(temperature, `${fn}: temperature`);
  const output = options.output ?? 'anomaly';
  assertOneOf(output, ELOC_OUTPUTS, `${fn}: output`);
  return { temperature, output };
}

/** One leave-out classifier's logits, checked: [rows, C >= 2], optionally finite. */
export function checkLeaveOutLogits(logits: unknown, name: string): asserts logits is tf.Tensor2D {
  assertMatrix(logits, name, 'classes');
  assertSeveralColumns(logits, name, 'Each leave-out classifier needs >= 2 kept classes.');
}

/**
 * ELOC anomaly score (Vyas et al., ECCV 2018) of given logits: -sum_k [max p_k - H(p_k)] with
 * p_k = softmax(logits_k / T), entropy in nats. Vyas et al. score the ODIN-perturbed input; this
 * function scores the logits it is given (the registered 'eloc' detector does the input step).
 *
 * Orientation: higher = more anomalous (the paper's S is larger for in-distribution inputs, so it is
 * negated); `output: 'rank'` drops the constant sum_k (1/C_k - log C_k) to keep float32 resolution at
 * T = 1000, `'confidence'` returns S itself.
 *
 * @param logitsPerClassifier one [batch, C_k] tensor per leave-out classifier (C_k >= 2), same rows.
 * @param options `temperature` (1000), `output`, `asTensor`, `batchSize` (default 8192 rows).
 */
export function elocScore<O extends ElocScoreOptions = ElocScoreOptions & { asTensor?: false }>(
  logitsPerClassifier: readonly tf.Tensor[],
  options: O = {} as O,
): ScoreOutput<O> {
  const fn = 'elocScore';
  const { temperature, output } = planEloc(options, [], fn);
  if (!Array.isArray(logitsPerClassifier) || logitsPerClassifier.length === 0) {
    throw new AnomalyScoreError(
      `${fn}: logitsPerClassifier must be a non-empty array of [batch, classes] tensors, one per leave-out classifier.`,
    );
  }
  const names = logitsPerClassifier.map((_, k) => `${fn}: logitsPerClassifier[${k}]`);
  logitsPerClassifier.forEach((l, k) => {
    checkLeaveOutLogits(l, names[k]!);
    assertFinite(l, names[k]!);
  });
  assertSameRows(logitsPerClassifier, names);
  const offset = leaveOutConfidenceOffset(logitsPerClassifier.map((l) => l.shape[1]!));
  return scoreRows(
    logitsPerClassifier,
    (chunks) => orientEloc(summedCentredConfidence(chunks as tf.Tensor2D[], temperature), offset, output),
    options,
  );
}
