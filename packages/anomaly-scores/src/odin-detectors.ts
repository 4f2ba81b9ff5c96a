// ODIN as detectors (Liang et al., ICLR 2018): 'odin' perturbs the input to raise the tempered top
// softmax of the Euclidean logits; 'odin-hyperbolic' is the paper's ODIN +HiO (Tab. IV), the same
// input step raising z_H of the Poincare embedding, scored from z_H (see odin.ts).
import type * as tf from '@tensorflow/tfjs-core';
import { curvatureOf, type DetectorFactory, type DetectorModel, inputAndApply, outputWith } from './detector';
import { describeOptions, scoreOptions } from './detector-options';
import { odinScore } from './odin';

function pickOutput(apply: (x: tf.Tensor) => tf.Tensor[], index: number) {
  return (input: tf.Tensor) => apply(input)[index]!;
}

const odin: DetectorFactory = (options) => {
  const name = 'odin';
  const resolved = scoreOptions(options, name);
  return {
    name,
    description: `ODIN on the Euclidean logits: temperature + input pre-processing (Liang et al. 2018)${describeOptions(options ?? {})}`,
    needsInput: true,
    score: (model: DetectorModel, data) => {
      const logits = outputWith(model, name, 'logits', 'euclidean');
      const { x, apply } = inputAndApply(model, data, name);
      return odinScore(pickOutput(apply, logits.index), x, resolved);
    },
  };
};

const odinHyperbolic: DetectorFactory = (options) => {
  const name = 'odin-hyperbolic';
  const resolved = scoreOptions(options, name);
  return {
    name,
    description: `ODIN +HiO: an input step raising z_H of the Poincare embedding, scored from z_H (paper Tab. IV)${describeOptions(options ?? {})}`,
    needsInput: true,
    score: (model: DetectorModel, data) => {
      const ball = outputWith(model, name, 'embedding', 'poincare');
      const { x, apply } = inputAndApply(model, data, name);
      return odinScore(pickOutput(apply, ball.index), x, { ...resolved, score: 'hyperbolic', k: curvatureOf(ball, name) });
    },
  };
};

export const ODIN_DETECTORS: Record<string, DetectorFactory> = { odin, 'odin-hyperbolic': odinHyperbolic };
