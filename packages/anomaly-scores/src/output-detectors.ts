// The detectors that score a model's outputs (no input gradient, no fit): the baseline MSP,
// MaxLogit and energy on the Euclidean logits, and the paper's z_S (Eq. 9), z_H (Eq. 10),
// z_M (Eq. 11), z_EG (Eq. 12) and z_EM (Eq. 13) on the outputs of a GiO / GiT head. z_EG and z_EM
// come in both directions: 'zEG' ranks a larger divergence as anomalous (the released code),
// 'zEG-text' as normal (the text's AS = 1 - tanh z).
import type * as tf from '@tensorflow/tfjs-core';
import type { DetectorFactory, DetectorModel } from './detector';
import { curvatureOf, outputsWith, outputWith, withOutputs } from './detector';
import { type DetectorOptions, describeOptions, scoreOptions } from './detector-options';
import { divergenceScore } from './divergence-score';
import { energyScore } from './energy-score';
import { AnomalyScoreError } from './errors';
import { hyperbolicScore } from './hyperbolic-score';
import { maxLogitScore } from './max-logit-score';
import { maxSoftmaxScore } from './max-softmax-score';
import { mixedDivergenceScore } from './mixed-divergence-score';
import { mixedScore } from './mixed-score';
import { sphericalScore } from './spherical-score';

type Run = (model: DetectorModel, outputs: readonly tf.Tensor[], options: DetectorOptions & { asTensor: false }) => Float32Array;

function outputDetector(name: string, what: string, run: Run): DetectorFactory {
  return (options) => {
    const resolved = scoreOptions(options, name);
    return {
      name,
      description: `${what}${describeOptions(options ?? {})}`,
      needsInput: false,
      score: (model, data) => withOutputs(model, data, name, (outputs) => run(model, outputs, resolved)),
    };
  };
}

const euclideanLogits = (model: DetectorModel, outputs: readonly tf.Tensor[], name: string) =>
  outputs[outputWith(model, name, 'logits', 'euclidean').index]!;

/** Geometric logits of a GiT head: every non-Euclidean classifier output. */
const curvedLogits = (model: DetectorModel, outputs: readonly tf.Tensor[], name: string) =>
  outputsWith(model, name, 'logits', 'curved').map((o) => outputs[o.index]!);

/** The direction is the detector's: 'zEG' / 'zEG-text' name it, so an option cannot contradict the name. */
function fixedDirection(opts: DetectorOptions, name: string): void {
  if (opts.direction !== undefined) {
    throw new AnomalyScoreError(
      `detector '${name}': its direction is fixed by its name; use '${name.replace('-text', '')}' (larger divergence = anomalous) or '${name.replace('-text', '')}-text' (larger = normal) instead of the option direction.`,
    );
  }
}

function divergence(name: string, direction: 'larger-is-anomalous' | 'larger-is-normal', source: string): DetectorFactory {
  return outputDetector(
    name,
    `z_EG (Eq. 12), KL of the Euclidean and geometric softmaxes; larger = ${direction === 'larger-is-anomalous' ? 'anomalous' : 'normal'} (${source})`,
    (m, o, opts) => {
      fixedDirection(opts, name);
      return divergenceScore(euclideanLogits(m, o, name), curvedLogits(m, o, name)[0]!, { ...opts, direction });
    },
  );
}

function mixedDivergence(name: string, direction: 'larger-is-anomalous' | 'larger-is-normal', source: string): DetectorFactory {
  return outputDetector(
    name,
    `z_EM (Eq. 13) over every geometric branch; larger = ${direction === 'larger-is-anomalous' ? 'anomalous' : 'normal'} (${source})`,
    (m, o, opts) => {
      fixedDirection(opts, name);
      return mixedDivergenceScore(euclideanLogits(m, o, name), curvedLogits(m, o, name), { ...opts, direction });
    },
  );
}

export const OUTPUT_DETECTORS: Record<string, DetectorFactory> = {
  msp: outputDetector('msp', 'MSP: 1 - max softmax of the Euclidean logits (Hendrycks & Gimpel 2017)', (m, o, opts) =>
    maxSoftmaxScore(euclideanLogits(m, o, 'msp'), opts),
  ),
  maxlogit: outputDetector('maxlogit', 'MaxLogit: - max Euclidean logit (Hendrycks et al. 2022)', (m, o, opts) =>
    maxLogitScore(euclideanLogits(m, o, 'maxlogit'), opts),
  ),
  energy: outputDetector('energy', 'free energy -T logsumexp(l / T) of the Euclidean logits (Liu et al. 2020)', (m, o, opts) =>
    energyScore(euclideanLogits(m, o, 'energy'), opts),
  ),
  zS: outputDetector('zS', 'z_S (Eq. 9): max spherical logit', (m, o, opts) =>
    sphericalScore(o[outputWith(m, 'zS', 'logits', 'sphere').index]!, opts),
  ),
  zH: outputDetector('zH', 'z_H (Eq. 10): Poincare distance of e_H to the origin', (m, o, opts) => {
    const ball = outputWith(m, 'zH', 'embedding', 'poincare');
    return hyperbolicScore(o[ball.index]!, { ...opts, k: curvatureOf(ball, 'zH') });
  }),
  zM: outputDetector('zM', 'z_M (Eq. 11): sqrt(z_S^2 + z_H^2) of a mixed head', (m, o, opts) => {
    const ball = outputWith(m, 'zM', 'embedding', 'poincare');
    return mixedScore(
      [
        { space: 'spherical', logits: o[outputWith(m, 'zM', 'logits', 'sphere').index]! },
        { space: 'hyperbolic', embedding: o[ball.index]!, k: curvatureOf(ball, 'zM') },
      ],
      opts,
    );
  }),
  zEG: divergence('zEG', 'larger-is-anomalous', 'the released code'),
  'zEG-text': divergence('zEG-text', 'larger-is-normal', "the text's 1 - tanh z"),
  zEM: mixedDivergence('zEM', 'larger-is-anomalous', 'the released code'),
  'zEM-text': mixedDivergence('zEM-text', 'larger-is-normal', "the text's 1 - tanh z"),
};
