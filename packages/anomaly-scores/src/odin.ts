// ODIN: Liang, Li, Srikant, "Enhancing The Reliability of Out-of-distribution Image Detection in
// Neural Networks", ICLR 2018: temperature scaling plus input pre-processing,
//   x' = x - epsilon sign(-grad_x log S_yhat(x; T)),   S(x; T) = softmax(f(x) / T),
// a step that RAISES the (tempered) top softmax score; in-distribution inputs respond more than
// OOD inputs, which widens the gap. The score is then 1 - max softmax(f(x') / T).
//
// The paper's "ODIN +HiO" (Tab. IV) applies this pre-processing to the hyperbolic GiO model
// without printing a formula. Its normality signal is z_H (Eq. 10; a larger distance from the
// origin is more normal), so the analogous step raises z_H: x' = x + epsilon sign(grad_x z_H(x)),
// and the score is AS = 1 - tanh(z_H(x')). The spherical head gets the same treatment with z_S.
// Temperature is part of the softmax only, so it is rejected for the geometric scores.
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';
import { GEOMETRIC_OUTPUTS, type GeometricOutput, orientGeometricScore } from './geometric-output';
import { assertCurvatureNegative, assertInsideBall, hyperbolicZ } from './hyperbolic-score';
import { stepTowardsNormal } from './input-perturbation';
import { oneMinusMaxSoftmax, SINGLE_CLASS_HINT } from './max-softmax-score';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type OutputOptions, type ScoreOutput, scoreRows } from './output';
import { sphericalZ } from './spherical-score';
import { assertFinite, assertNonNegativeNumber, assertOneOf, assertPositiveNumber, assertSeveralColumns, assertTensor } from './validate';

/** A differentiable model: input batch -> [batch, n] logits or embedding. */
export type ModelFunction = (x: tf.Tensor) => tf.Tensor;

/**
 * Which head the pre-processing and the score use.
 * - `'msp'`: model returns Euclidean logits; raise log S_yhat(x; T); score 1 - max softmax(f(x')/T).
 * - `'spherical'`: model returns spherical logits; raise z_S; score from z_S (Eq. 9).
 * - `'hyperbolic'`: model returns a Poincare-ball embedding; raise z_H; score from z_H (Eq. 10).
 */
export type OdinScoreKind = 'msp' | 'spherical' | 'hyperbolic';

export interface OdinOptions extends OutputOptions {
  /** Default `'msp'` (the original ODIN). */
  score?: OdinScoreKind;
  /** Softmax temperature, `'msp'` only. Default 1000 (Liang et al.'s choice for all their models). */
  temperature?: number;
  /** Step size in the units of the model input. Default 0.0014 (Liang et al., DenseNet on CIFAR-10). Tune it. */
  epsilon?: number;
  /** Curvature k < 0 of the ball, `'hyperbolic'` only (required there). */
  k?: number;
  /** Geometric scores only: `'anomaly'` (default), `'rank'` or `'z'` (see `GeometricOutput`). */
  output?: GeometricOutput;
}

/** Liang et al. 2018 use T = 1000 for every model. */
export const ODIN_DEFAULT_TEMPERATURE = 1000;
/** Liang et al. 2018, DenseNet-BC on CIFAR-10 (inputs normalised per channel). */
export const ODIN_DEFAULT_EPSILON = 0.0014;
/** One image through a model's gradient costs far more memory than a row of logits. */
export const ODIN_DEFAULT_BATCH_ROWS = 128;

const ODIN_KINDS: readonly OdinScoreKind[] = ['msp', 'spherical', 'hyperbolic'];

interface OdinPlan {
  epsilon: number;
  /** Per-row normality (higher = more in-distribution) of the model output; differentiable. */
  normality: (out: tf.Tensor2D) => tf.Tensor1D;
  /** Per-row score (higher = more anomalous unless output 'z') of the model output at x'. */
  score: (out: tf.Tensor2D) => tf.Tensor;
  /** Extra shape check of a model output (e.g. >= 2 classes for the softmax). */
  checkOutput: (out: tf.Tensor2D, name: string) => void;
}

const noExtraCheck = (): void => {};

function planOdin(options: OdinOptions, fn: string): OdinPlan {
  checkOutputOptions(options, [...OUTPUT_OPTION_KEYS, 'score', 'temperature', 'epsilon', 'k', 'output'], fn);
  const kind = options.score ?? 'msp';
  assertOneOf(kind, ODIN_KINDS, `${fn}: score`);
  const epsilon = options.epsilon ?? ODIN_DEFAULT_EPSILON;
  assertNonNegativeNumber(epsilon, `${fn}: epsilon`);
  if (kind === 'msp') {
    if (options.k !== undefined) throw new AnomalyScoreError(`${fn}: k applies to score: 'hyperbolic' only; remove it for 'msp'.`);
    if (options.output !== undefined && options.output !== 'anomaly') {
      throw new AnomalyScoreError(
        `${fn}: output '${String(options.output)}' applies to the geometric scores; 'msp' returns 1 - max softmax.`,
      );
    }
    const temperature = options.temperature ?? ODIN_DEFAULT_TEMPERATURE;
    assertPositiveNumber(temperature, `${fn}: temperature`);
    return {
      epsilon,
      // log S_yhat(x; T) = max_j(l_j / T) - logsumexp(l / T); its gradient flows to the top class.
      normality: (out) => {
        const scaled = tf.div(out, temperature);
        return tf.sub(tf.max(scaled, 1), tf.logSumExp(scaled, 1)) as tf.Tensor1D;
      },
      score: (out) => oneMinusMaxSoftmax(out, temperature),
      checkOutput: (out, name) => assertSeveralColumns(out, name, SINGLE_CLASS_HINT),
    };
  }
  if (options.temperature !== undefined) {
    throw new AnomalyScoreError(`${fn}: temperature scales a softmax and applies to score: 'msp' only; z_S and z_H use no softmax.`);
  }
  const output = options.output ?? 'anomaly';
  assertOneOf(output, GEOMETRIC_OUTPUTS, `${fn}: output`);
  if (kind === 'spherical') {
    if (options.k !== undefined) throw new AnomalyScoreError(`${fn}: k applies to score: 'hyperbolic' only.`);
    return {
      epsilon,
      normality: sphericalZ,
      score: (out) => orientGeometricScore(sphericalZ(out), output, 'normal'),
      checkOutput: noExtraCheck,
    };
  }
  assertCurvatureNegative(options.k, `${fn} (score: 'hyperbolic')`);
  const k = options.k;
  const zH = (out: tf.Tensor2D) => hyperbolicZ(out, k);
  return {
    epsilon,
    normality: zH,
    score: (out) => {
      // Outside the ball the distance is clamped and its gradient vanishes: say so instead of scoring.
      assertInsideBall(out, k, `${fn} (score: 'hyperbolic')`);
      return orientGeometricScore(zH(out), output, 'normal');
    },
    checkOutput: noExtraCheck,
  };
}

/** The model's output on x, checked: [rows, n], finite (costs one read-back), and what the plan needs. */
function modelOutput(model: ModelFunction, x: tf.Tensor, fn: string, plan: OdinPlan, rowOffset: number): tf.Tensor2D {
  const out = model(x);
  if (!(out instanceof tf.Tensor) || out.rank !== 2 || out.shape[0] !== x.shape[0]) {
    const got = out instanceof tf.Tensor ? `shape [${out.shape.join(', ')}]` : typeof out;
    throw new AnomalyScoreError(
      `${fn}: the model must return a [batch, n] tensor with one row per input (${x.shape[0]} here), got ${got}.`,
    );
  }
  const name = `${fn}: the model output`;
  plan.checkOutput(out as tf.Tensor2D, name);
  // A NaN output would flow into the gradient step and the score and come back as a NaN score.
  assertFinite(out, name, {
    rowOffset,
    hint: 'Check the model (overflow, division by zero, log of 0, untrained or diverged weights) on these inputs before scoring.',
  });
  return out as tf.Tensor2D;
}

function checkCall(model: unknown, x: unknown, fn: string): asserts x is tf.Tensor {
  if (typeof model !== 'function') {
    throw new AnomalyScoreError(`${fn}: model must be a function (x: tf.Tensor) => tf.Tensor, got ${typeof model}.`);
  }
  assertTensor(x, `${fn}: x`);
  if (x.rank < 1) throw new AnomalyScoreError(`${fn}: x must have a batch axis (rank >= 1), got a scalar.`);
  assertFinite(x, `${fn}: x`);
}

/**
 * ODIN input pre-processing (Liang et al., ICLR 2018): one signed-gradient step of size epsilon
 * that raises the normality of each input: log S_yhat(x; T) for `'msp'`, z_S for `'spherical'`,
 * z_H for `'hyperbolic'` (the paper's ODIN +HiO). Returns x' (same shape as x; caller disposes).
 *
 * @param model differentiable function from a batch of inputs to [batch, n] logits or embedding.
 * @param x inputs, batch on axis 0 (e.g. NHWC images).
 * @param options `score`, `temperature`, `epsilon`, `k`, `batchSize` (default 128 rows).
 */
export function odinPerturb(model: ModelFunction, x: tf.Tensor, options: OdinOptions = {}): tf.Tensor {
  const fn = 'odinPerturb';
  const plan = planOdin(options, fn);
  checkCall(model, x, fn);
  const rows = x.shape[0]!;
  if (rows === 0) return tf.clone(x);
  const batch = options.batchSize ?? ODIN_DEFAULT_BATCH_ROWS;
  const pieces: tf.Tensor[] = [];
  for (let start = 0; start < rows; start += batch) {
    const size = Math.min(batch, rows - start);
    pieces.push(
      tf.tidy(() => {
        const chunk = tf.cast(size === rows ? x : tf.slice(x, start, size), 'float32');
        return stepTowardsNormal(chunk, (input) => plan.normality(modelOutput(model, input, fn, plan, start)), plan.epsilon, fn, start);
      }),
    );
  }
  if (pieces.length === 1) return pieces[0]!;
  const joined = tf.concat(pieces);
  for (const p of pieces) p.dispose();
  return joined;
}

/**
 * ODIN anomaly score (Liang et al., ICLR 2018), for the Euclidean head and for the geometric heads.
 *
 * - `'msp'` (default): AS = 1 - max softmax(f(x') / T) with x' from `odinPerturb`.
 * - `'spherical'`, `'hyperbolic'`: the geometric score of f(x') (x' raises z_S or z_H), reported
 *   as AS = 1 - tanh(z), `'rank'` = -z or `'z'`.
 *
 * Orientation: higher = more anomalous (except `output: 'z'`, where larger = more normal). With
 * epsilon = 0 and T = 1 it reduces to `maxSoftmaxScore`.
 *
 * @param model differentiable function from a batch of inputs to [batch, n] logits or embedding;
 *   run it in inference mode (no dropout, frozen batch norm) so rows are independent.
 * @param x inputs, batch on axis 0.
 * @param options `score`, `temperature` (1000), `epsilon` (0.0014), `k`, `output`, `asTensor`,
 *   `batchSize` (default 128 rows, bounds the memory of the backward pass).
 */
export function odinScore<O extends OdinOptions = OdinOptions & { asTensor?: false }>(
  model: ModelFunction,
  x: tf.Tensor,
  options: O = {} as O,
): ScoreOutput<O> {
  const fn = 'odinScore';
  const plan = planOdin(options, fn);
  checkCall(model, x, fn);
  return scoreRows(
    [x],
    ([chunk], start) => {
      const normality = (input: tf.Tensor) => plan.normality(modelOutput(model, input, fn, plan, start));
      const perturbed = stepTowardsNormal(tf.cast(chunk!, 'float32'), normality, plan.epsilon, fn, start);
      return plan.score(modelOutput(model, perturbed, fn, plan, start));
    },
    options,
    ODIN_DEFAULT_BATCH_ROWS,
  );
}
