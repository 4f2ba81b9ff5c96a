import * as tf from '@tensorflow/tfjs-core';
import { energyScore, maxLogitScore, maxSoftmaxScore, odinScore } from '@curvad/anomaly-scores';
import { geoHeadOf } from '@curvad/geo-layers';
import type { ModelName, OodConfig } from '../config/ood-config';
import type { BuiltModel } from './build-model';
import type { FloatImages } from './load-data';

/**
 * The detectors a trained model can be scored with (`curvad rescore --methods` takes these names).
 * A detector gives zero or more table rows per model: 'msp', 'odin', 'maxlogit' and 'energy' score
 * the Euclidean baseline; 'geometric' the GiO / GiT models' own score; 'odin-hyperbolic' the HiO model.
 */
export const DETECTOR_NAMES = ['msp', 'odin', 'maxlogit', 'energy', 'geometric', 'odin-hyperbolic'] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** What each detector is, for --help and error messages. */
export const DETECTOR_DESCRIPTIONS: Record<DetectorName, string> = {
  msp: "MSP: 1 - max softmax of the baseline (row 'MSP')",
  odin: "ODIN on the baseline (row 'ODIN')",
  maxlogit: "MaxLogit on the baseline (row 'MaxLogit'; not in the paper's tables)",
  energy: "free energy at T = 1 on the baseline (row 'Energy'; not in the paper's tables)",
  geometric: "each geometric model's own score z_S, z_H, z_M, z_EG, z_EM (rows '+SiO', '+HiT', ...)",
  'odin-hyperbolic': "ODIN's input step raising z_H on the HiO model (row 'ODIN +HiO')",
};

/** The detectors an experiment run scores with: the paper's, as its config enables them. */
export function runDetectors(config: OodConfig): DetectorName[] {
  const { detectors } = config;
  return DETECTOR_NAMES.filter((d) => {
    if (d === 'msp') return detectors.msp;
    if (d === 'odin' || d === 'odin-hyperbolic') return detectors.odin;
    if (d === 'maxlogit') return detectors.maxlogit;
    if (d === 'energy') return detectors.energy;
    return d === 'geometric';
  });
}

/** One row of the result tables: a score computed on one trained model. */
export interface ScoreMethod {
  /** Row name: 'MSP', 'ODIN', '+HiO', 'ODIN +HiO', '+SiT', ... */
  method: string;
  model: ModelName;
  /** The detector that gives this row. */
  detector: DetectorName;
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

function baselineMethods(built: BuiltModel, config: OodConfig, wanted: ReadonlySet<DetectorName>): ScoreMethod[] {
  const name = built.name;
  const { detectors } = config;
  const methods: ScoreMethod[] = [];
  if (wanted.has('msp')) {
    methods.push({ method: 'MSP', model: name, detector: 'msp', score: 'maxSoftmaxScore', compute: (o) => maxSoftmaxScore(o[0]!) });
  }
  if (wanted.has('odin')) {
    methods.push({
      method: 'ODIN',
      model: name,
      detector: 'odin',
      score: `odinScore(T=${detectors.odinTemperature}, eps=${detectors.odinEpsilon})`,
      compute: (_o, images) => runOdin(built, 0, images, { temperature: detectors.odinTemperature, epsilon: detectors.odinEpsilon }),
    });
  }
  if (wanted.has('maxlogit')) {
    methods.push({ method: 'MaxLogit', model: name, detector: 'maxlogit', score: 'maxLogitScore', compute: (o) => maxLogitScore(o[0]!) as Float32Array });
  }
  if (wanted.has('energy')) {
    methods.push({ method: 'Energy', model: name, detector: 'energy', score: 'energyScore(T=1)', compute: (o) => energyScore(o[0]!) as Float32Array });
  }
  return methods;
}

/**
 * The methods that score a trained model (paper Tables III and IV): the Euclidean baseline gives
 * MSP (Hendrycks & Gimpel) and ODIN; a GiO model its geometric score (z_S, z_H, z_M), HiO also
 * ODIN +HiO; a GiT model z_EG / z_EM in both directions (the released code ranks a larger
 * divergence as anomalous; the text writes AS = 1 - tanh(z_EG)). Geometric scores are ranked by
 * their unsaturated value (output 'rank'), which orders exactly like AS = 1 - tanh(z).
 * `detectors` picks which (default: the run's, from the config).
 */
export function scoreMethods(built: BuiltModel, config: OodConfig, detectors: readonly DetectorName[] = runDetectors(config)): ScoreMethod[] {
  const wanted = new Set(detectors);
  if (built.spec === null) return baselineMethods(built, config, wanted);
  const name = built.name;
  const { scores, spec, curvature } = geoHeadOf(built.model);
  const methods: ScoreMethod[] = [];
  if (wanted.has('geometric')) {
    for (const s of scores) {
      if (s.name === 'msp') continue; // the GiT model's own Euclidean MSP is not a row of the paper's tables
      if (s.name === 'zEG' || s.name === 'zEM') {
        methods.push({ method: `+${name}`, model: name, detector: 'geometric', score: `${s.scoreFunction} (larger divergence = anomalous, as the released code)`, compute: (o) => s.compute(o, { output: 'rank', direction: 'larger-is-anomalous' }) as Float32Array });
        methods.push({ method: `+${name} (text: 1 - tanh z)`, model: name, detector: 'geometric', score: `${s.scoreFunction} (larger divergence = normal, as the text)`, compute: (o) => s.compute(o, { output: 'rank', direction: 'larger-is-normal' }) as Float32Array });
      } else {
        methods.push({ method: `+${name}`, model: name, detector: 'geometric', score: s.scoreFunction, compute: (o) => s.compute(o, { output: 'rank' }) as Float32Array });
      }
    }
  }
  if (name === 'HiO' && wanted.has('odin-hyperbolic')) {
    const ball = spec.outputs.find((o) => o.role === 'embedding' && o.space === 'poincare')!;
    methods.push({
      method: 'ODIN +HiO',
      model: name,
      detector: 'odin-hyperbolic',
      score: `odinScore(hyperbolic, eps=${config.detectors.odinHyperbolicEpsilon})`,
      compute: (_o, images) => runOdin(built, ball.index, images, { score: 'hyperbolic', k: curvature('poincare'), epsilon: config.detectors.odinHyperbolicEpsilon, output: 'rank' }),
    });
  }
  return methods;
}
