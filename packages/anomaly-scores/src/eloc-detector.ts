// ELOC as a detector (Vyas et al., ECCV 2018): the model has K Euclidean 'logits' outputs, one per
// leave-out classifier. The input gets ODIN's pre-processing step (Liang et al. 2018, the shared
// `stepTowardsNormal`) and the ELOC score is taken on the perturbed input.
//
// Which gradient the step follows: Vyas et al. write the step on the ensemble's score, so the default
// `perturbation: 'summed'` steps x' = x + epsilon sign(grad_x S(x)), S the summed ELOC confidence at
// temperature T, one x' for the whole ensemble. The common re-implementation
// (YU1ut/Ensemble-of-Leave-out-Classifiers, calData.py) instead gives every classifier its own ODIN
// step, x'_k = x + epsilon sign(grad_x log S_yhat(f_k(x); T)), and scores classifier k on x'_k:
// `perturbation: 'per-classifier'` (K backward passes). That code also divides the gradient sign by
// the per-channel std of its input normalisation; here epsilon is in the units of the model input.
import * as tf from '@tensorflow/tfjs-core';
import { type DetectorFactory, type DetectorModel, type DetectorOutput, inputAndApply, outputsWith } from './detector';
import { describeOptions, scoreOptions } from './detector-options';
import {
  checkLeaveOutLogits,
  type ElocOutput,
  type ElocScoreOptions,
  leaveOutConfidenceOffset,
  orientEloc,
  planEloc,
  summedCentredConfidence,
} from './eloc-score';
import { AnomalyScoreError } from './errors';
import { stepTowardsNormal } from './input-perturbation';
import { ODIN_DEFAULT_BATCH_ROWS, odinPerturb } from './odin';
import { scoreRows } from './output';
import { assertFinite, assertNonNegativeNumber, assertOneOf, assertTensor } from './validate';

/** Vyas et al. (after ODIN's CIFAR search) use a step of about 0.002 in normalised input units. */
export const ELOC_DEFAULT_EPSILON = 0.002;

/** How the input step is taken; see the top of this file. */
export type ElocPerturbation = 'summed' | 'per-classifier';

const PERTURBATIONS: readonly ElocPerturbation[] = ['summed', 'per-classifier'];

export interface ElocDetectorOptions extends ElocScoreOptions {
  /** Step size in the units of the model input. Default 0.002. 0 scores the input as given. */
  epsilon?: number;
  /** Default `'summed'` (one step raising the summed ELOC confidence); `'per-classifier'` as the re-implementation. */
  perturbation?: ElocPerturbation;
}

interface ElocPlan {
  temperature: number;
  epsilon: number;
  perturbation: ElocPerturbation;
  output: ElocOutput;
}

function planDetector(options: ElocDetectorOptions, fn: string): ElocPlan {
  const { temperature, output } = planEloc(options, ['epsilon', 'perturbation'], fn);
  const epsilon = options.epsilon ?? ELOC_DEFAULT_EPSILON;
  assertNonNegativeNumber(epsilon, `${fn}: epsilon`);
  const perturbation = options.perturbation ?? 'summed';
  assertOneOf(perturbation, PERTURBATIONS, `${fn}: perturbation`);
  return { temperature, epsilon, perturbation, output };
}

/** The classifier logits of one forward pass, checked: [rows, C >= 2] and finite (one read-back each). */
function classifierLogits(
  outputs: tf.Tensor[],
  heads: readonly DetectorOutput[],
  rows: number,
  fn: string,
  rowOffset: number,
): tf.Tensor2D[] {
  return heads.map((head) => {
    const logits = outputs[head.index];
    const name = `${fn}: model output ${head.index} (leave-out classifier logits)`;
    if (!(logits instanceof tf.Tensor) || logits.shape[0] !== rows) {
      const got = logits instanceof tf.Tensor ? `shape [${logits.shape.join(', ')}]` : String(logits);
      throw new AnomalyScoreError(`${name}: apply(x) must return a [batch, classes] tensor with ${rows} rows there, got ${got}.`);
    }
    checkLeaveOutLogits(logits, name);
    assertFinite(logits, name, {
      rowOffset,
      hint: 'Check the model (overflow, untrained or diverged weights) on these inputs before scoring.',
    });
    return logits;
  });
}

/**
 * x' = x + epsilon sign(grad_x sum_rows S(x)), S the summed ELOC confidence of the K classifiers
 * at temperature T (`perturbation: 'summed'`). Must run inside a tidy. Exposed for the tests.
 */
export function elocPerturb(
  apply: (x: tf.Tensor) => tf.Tensor[],
  heads: readonly DetectorOutput[],
  x: tf.Tensor,
  temperature: number,
  epsilon: number,
  fn: string,
  rowOffset = 0,
): tf.Tensor {
  const rows = x.shape[0]!;
  const confidence = (input: tf.Tensor) => summedCentredConfidence(classifierLogits(apply(input), heads, rows, fn, rowOffset), temperature);
  return stepTowardsNormal(x, confidence, epsilon, fn, rowOffset);
}

/** The ELOC score of `x` for a model with K leave-out classifier outputs, with ODIN's input step. */
export function elocDetectorScore(
  model: DetectorModel,
  x: tf.Tensor,
  apply: (x: tf.Tensor) => tf.Tensor[],
  options: ElocDetectorOptions,
): Float32Array {
  const fn = "detector 'eloc'";
  const plan = planDetector(options, fn);
  const heads = outputsWith(model, 'eloc', 'logits', 'euclidean');
  assertTensor(x, `${fn}: data.x`);
  if (x.rank < 1) throw new AnomalyScoreError(`${fn}: data.x must have a batch axis (rank >= 1), got a scalar.`);
  assertFinite(x, `${fn}: data.x`);
  return scoreRows(
    [x],
    ([chunk], start) => {
      const input = tf.cast(chunk!, 'float32');
      const rows = input.shape[0]!;
      let logits: tf.Tensor2D[];
      if (plan.perturbation === 'summed') {
        const perturbed = elocPerturb(apply, heads, input, plan.temperature, plan.epsilon, fn, start);
        logits = classifierLogits(apply(perturbed), heads, rows, fn, start);
      } else {
        logits = heads.map((head) => {
          const single = (v: tf.Tensor) => apply(v)[head.index]!;
          const perturbed = odinPerturb(single, input, { temperature: plan.temperature, epsilon: plan.epsilon, batchSize: rows });
          return classifierLogits(apply(perturbed), [head], rows, fn, start)[0]!;
        });
      }
      const offset = leaveOutConfidenceOffset(logits.map((l) => l.shape[1]));
      return orientEloc(summedCentredConfidence(logits, plan.temperature), offset, plan.output);
    },
    { asTensor: false, batchSize: options.batchSize },
    ODIN_DEFAULT_BATCH_ROWS,
  );
}

const eloc: DetectorFactory = (options) => {
  const name = 'eloc';
  const resolved = scoreOptions(options, name);
  const { asTensor: _drop, ...rest } = resolved;
  // Options are checked when the detector is made, so a misspelt option fails before any scoring.
  planDetector(rest as ElocDetectorOptions, `detector '${name}'`);
  return {
    name,
    description: `ELOC: sum over the leave-out classifiers of max p - H(p) at T = 1000 on ODIN-perturbed input, negated (Vyas et al. 2018)${describeOptions(options ?? {})}`,
    needsInput: true,
    score: (model, data) => {
      const { x, apply } = inputAndApply(model, data, name);
      return elocDetectorScore(model, x, apply, rest as ElocDetectorOptions);
    },
  };
};

export const ELOC_DETECTORS: Record<string, DetectorFactory> = { eloc };
