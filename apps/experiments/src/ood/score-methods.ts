import * as tf from '@tensorflow/tfjs-core';
import { maxSoftmaxScore, odinScore } from '@curvad/anomaly-scores';
import { geoHeadOf } from '@curvad/geo-layers';
import type { ModelName, OodConfig } from '../config/ood-config';
import type { BuiltModel } from './build-model';
import type { FloatImages } from './load-data';

/** One row of the result tables: a score computed on one trained model. */
export interface ScoreMethod {
  /** Row name: 'MSP', 'ODIN', '+HiO', 'ODIN +HiO', '+SiT', ... */
  method: string;
  model: ModelName;
  /** The score function, for the results file. */
  score: string;
  /** Higher = more anomalous, one value per image; `outputs` are the model's outputs on `images`. */
  compute(outputs: tf.Tensor2D[], images: FloatImages): Float32Array;
}

/** ODIN's gradient pass runs over chunks of this many images. */
const ODIN_BATCH_ROWS = 250;

function imagesTensor(images: FloatImages): tf.Tensor4D {
  return tf.tensor4d(images.x, images.shape);
}

function runOdin(built: BuiltModel, outputIndex: number, images: FloatImages, options: Parameters<typeof odinScore>[2]): Float32Array {
  const x = imagesTensor(images);
  try {
    const fn = (input: tf.Tensor) => {
      const y = built.model.apply(input, { training: false }) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(y) ? y[outputIndex]! : y) as tf.Tensor;
    };
    return odinScore(fn, x, { ...options, batchSize: ODIN_BATCH_ROWS, asTensor: false }) as Float32Array;
  } finally {
    x.dispose();
  }
}

/**
 * The methods that score a trained model (paper Tables III and IV): the Euclidean baseline gives
 * MSP (Hendrycks & Gimpel) and ODIN; a GiO model its geometric score (z_S, z_H, z_M), HiO also
 * ODIN +HiO; a GiT model z_EG / z_EM in both directions (the released code ranks a larger
 * divergence as anomalous; the text writes AS = 1 - tanh(z_EG)). Geometric scores are ranked by
 * their unsaturated value (output 'rank'), which orders exactly like AS = 1 - tanh(z).
 */
export function scoreMethods(built: BuiltModel, config: OodConfig): ScoreMethod[] {
  const name = built.name;
  const { detectors } = config;
  if (built.spec === null) {
    const methods: ScoreMethod[] = [];
    if (detectors.msp) {
      methods.push({ method: 'MSP', model: name, score: 'maxSoftmaxScore', compute: (o) => maxSoftmaxScore(o[0]!) });
    }
    if (detectors.odin) {
      methods.push({
        method: 'ODIN',
        model: name,
        score: `odinScore(T=${detectors.odinTemperature}, eps=${detectors.odinEpsilon})`,
        compute: (_o, images) => runOdin(built, 0, images, { temperature: detectors.odinTemperature, epsilon: detectors.odinEpsilon }),
      });
    }
    return methods;
  }
  const { scores, spec } = geoHeadOf(built.model);
  const methods: ScoreMethod[] = [];
  for (const s of scores) {
    if (s.name === 'msp') continue; // the GiT model's own Euclidean MSP is not a row of the paper's tables
    if (s.name === 'zEG' || s.name === 'zEM') {
      methods.push({ method: `+${name}`, model: name, score: `${s.scoreFunction} (larger divergence = anomalous, as the released code)`, compute: (o) => s.compute(o, { output: 'rank', direction: 'larger-is-anomalous' }) as Float32Array });
      methods.push({ method: `+${name} (text: 1 - tanh z)`, model: name, score: `${s.scoreFunction} (larger divergence = normal, as the text)`, compute: (o) => s.compute(o, { output: 'rank', direction: 'larger-is-normal' }) as Float32Array });
    } else {
      methods.push({ method: `+${name}`, model: name, score: s.scoreFunction, compute: (o) => s.compute(o, { output: 'rank' }) as Float32Array });
    }
  }
  if (name === 'HiO' && detectors.odin) {
    const ball = spec.outputs.find((o) => o.role === 'embedding' && o.space === 'poincare')!;
    methods.push({
      method: 'ODIN +HiO',
      model: name,
      score: `odinScore(hyperbolic, eps=${detectors.odinHyperbolicEpsilon})`,
      compute: (_o, images) => runOdin(built, ball.index, images, { score: 'hyperbolic', k: config.curvatures.HiO, epsilon: detectors.odinHyperbolicEpsilon, output: 'rank' }),
    });
  }
  return methods;
}
