import { type DetectorModel, getDetector } from '@curvad/anomaly-scores';
import type { GeoScoreName } from '@curvad/geo-layers';
import { geoDetectorModel } from '@curvad/geo-layers/scores';
import type * as tf from '@tensorflow/tfjs-core';
import type { EvalImages } from '../../../core/eval-images';
import { scoreInBatches } from '../../../core/predict';
import { type ModelName, modelRecord, type OodConfig } from '../config/ood-config';
import type { BuiltModel } from '../model/build-model';

/**
 * The detectors a trained model can be scored with (`curvad rescore --methods` takes these names).
 * A detector gives zero or more table rows per model: 'msp', 'odin', 'maxlogit' and 'energy' score
 * the Euclidean baseline; 'geometric' the GiO / GiT models' own score; 'odin-hyperbolic' the HiO model.
 * Each row is a detector of the @curvad/anomaly-scores registry, looked up by name (DETECTOR_ROWS).
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

/** One table row of a model: which registry detector, made with which options. */
export interface DetectorRow {
  /** Row name: 'MSP', 'ODIN', '+HiO', 'ODIN +HiO', '+SiT', ... */
  method: string;
  /** Name in the @curvad/anomaly-scores registry (getDetector). */
  registered: string;
  options: Record<string, unknown>;
  /** The score function, for the results file. */
  score: string;
}

/** ODIN's gradient pass runs over chunks of this many images. */
const ODIN_BATCH_ROWS = 250;

/**
 * Geometric scores are ranked by their unsaturated value (output 'rank'), which orders exactly like
 * AS = 1 - tanh(z). z_EG / z_EM give two rows: the released code's direction (a larger divergence is
 * anomalous) and the text's (AS = 1 - tanh(z_EG)).
 */
function geometricRows(name: ModelName, score: GeoScoreName): DetectorRow[] {
  const rank = { output: 'rank' };
  const single = (registered: string, fn: string): DetectorRow[] => [{ method: `+${name}`, registered, options: rank, score: fn }];
  const bothDirections = (registered: string, fn: string): DetectorRow[] => [
    { method: `+${name}`, registered, options: rank, score: `${fn} (larger divergence = anomalous, as the released code)` },
    {
      method: `+${name} (text: 1 - tanh z)`,
      registered: `${registered}-text`,
      options: rank,
      score: `${fn} (larger divergence = normal, as the text)`,
    },
  ];
  switch (score) {
    case 'msp':
      return []; // the GiT model's own Euclidean MSP is not a row of the paper's tables
    case 'zS':
      return single('zS', 'sphericalScore');
    case 'zH':
      return single('zH', 'hyperbolicScore');
    case 'zM':
      return single('zM', 'mixedScore');
    case 'zEG':
      return bothDirections('zEG', 'divergenceScore');
    case 'zEM':
      return bothDirections('zEM', 'mixedDivergenceScore');
  }
}

/** The rows each detector gives a model (none when it does not apply), in table order. */
const DETECTOR_ROWS: Record<DetectorName, (built: BuiltModel, config: OodConfig) => DetectorRow[]> = {
  msp: (b) => (b.spec === null ? [{ method: 'MSP', registered: 'msp', options: {}, score: 'maxSoftmaxScore' }] : []),
  odin: (b, { detectors: d }) =>
    b.spec === null
      ? [
          {
            method: 'ODIN',
            registered: 'odin',
            options: { temperature: d.odinTemperature, epsilon: d.odinEpsilon, batchSize: ODIN_BATCH_ROWS },
            score: `odinScore(T=${d.odinTemperature}, eps=${d.odinEpsilon})`,
          },
        ]
      : [],
  maxlogit: (b) => (b.spec === null ? [{ method: 'MaxLogit', registered: 'maxlogit', options: {}, score: 'maxLogitScore' }] : []),
  energy: (b) => (b.spec === null ? [{ method: 'Energy', registered: 'energy', options: {}, score: 'energyScore(T=1)' }] : []),
  geometric: (b) => (b.spec === null ? [] : b.spec.scores.flatMap((s) => geometricRows(b.name, s))),
  'odin-hyperbolic': (b, { detectors: d }) => {
    const record = modelRecord(b.name);
    if (record.kind !== 'gio' || record.geometry !== 'poincare') return [];
    return [
      {
        method: 'ODIN +HiO',
        registered: 'odin-hyperbolic',
        options: { epsilon: d.odinHyperbolicEpsilon, output: 'rank', batchSize: ODIN_BATCH_ROWS },
        score: `odinScore(hyperbolic, eps=${d.odinHyperbolicEpsilon})`,
      },
    ];
  },
};

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
  compute(outputs: tf.Tensor2D[], images: EvalImages): Float32Array;
}

/** The model as the registry's detectors see it (the head's trained curvature, read now). */
export function detectorModelOf(built: BuiltModel): DetectorModel {
  if (built.spec !== null) return geoDetectorModel(built.model);
  return {
    outputs: [{ index: 0, role: 'logits', space: 'euclidean' }],
    apply: (x) => {
      const y = built.model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
      return Array.isArray(y) ? y : [y];
    },
  };
}

/**
 * The methods that score a trained model (paper Tables III and IV): the Euclidean baseline gives
 * MSP (Hendrycks & Gimpel) and ODIN; a GiO model its geometric score (z_S, z_H, z_M), HiO also
 * ODIN +HiO; a GiT model z_EG / z_EM in both directions. `detectors` picks which (default: the
 * run's, from the config); each row's score is a registry detector, looked up by name.
 */
export function scoreMethods(
  built: BuiltModel,
  config: OodConfig,
  detectors: readonly DetectorName[] = runDetectors(config),
): ScoreMethod[] {
  const wanted = new Set(detectors);
  const rows = DETECTOR_NAMES.filter((d) => wanted.has(d)).flatMap((d) =>
    DETECTOR_ROWS[d](built, config).map((row) => ({ detector: d, row })),
  );
  if (rows.length === 0) return [];
  const model = detectorModelOf(built);
  return rows.map(({ detector, row }) => {
    const scorer = getDetector(row.registered, row.options);
    return {
      method: row.method,
      model: built.name,
      detector,
      score: row.score,
      compute: (outputs, images) => {
        if (!scorer.needsInput) return scorer.score(model, { outputs });
        // ODIN's chunks of ODIN_BATCH_ROWS fall inside the prediction batches (a multiple of them).
        return scoreInBatches(images, (x) => scorer.score(model, { x }));
      },
    };
  });
}
