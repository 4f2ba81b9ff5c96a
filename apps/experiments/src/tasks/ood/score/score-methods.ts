import { type DetectorModel, getDetector } from '@curvad/anomaly-scores';
import type { GeoScoreName } from '@curvad/geo-layers';
import { geoDetectorModel } from '@curvad/geo-layers/scores';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { EvalImages } from '../../../core/eval-images';
import { scoreInBatches } from '../../../core/predict';
import { type ModelName, modelRecord, type OodConfig } from '../config/ood-config';
import type { BuiltModel } from '../model/build-model';
import { withFeatureOutput } from '../model/feature-layer';

/**
 * The detectors a trained model can be scored with (`curvad rescore --methods` takes these names).
 * A detector gives zero or more table rows per model: 'msp' and 'odin' score the Euclidean baseline;
 * 'geometric' the GiO / GiT models' own score; 'odin-hyperbolic' the HiO model; 'maxlogit' and 'energy'
 * every model's classifier logits (Euclidean, or a GiO model's geometric ones); 'mahalanobis' and 'knn'
 * every model, on its backbone feature, fitted on the ID training set first.
 * Each row is a detector of the @curvad/anomaly-scores registry, looked up by name (DETECTOR_ROWS).
 */
export const DETECTOR_NAMES = ['msp', 'odin', 'maxlogit', 'energy', 'geometric', 'odin-hyperbolic', 'mahalanobis', 'knn', 'eloc'] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** What each detector is, for --help and error messages. */
export const DETECTOR_DESCRIPTIONS: Record<DetectorName, string> = {
  msp: "MSP: 1 - max softmax of the baseline (row 'MSP')",
  odin: "ODIN on the baseline (row 'ODIN')",
  maxlogit:
    "MaxLogit on every model: the Euclidean logits of the baseline and the GiT models, the geometric logits of the GiO models (rows 'MaxLogit', 'MaxLogit +SiT', 'MaxLogit +HiO', 'MaxLogit +MiO (sphere)', ...; not in the paper's tables)",
  energy:
    "free energy at T = 1 on every model, on the same logits as MaxLogit (rows 'Energy', 'Energy +SiT', 'Energy +HiO', ...; not in the paper's tables)",
  geometric: "each geometric model's own score z_S, z_H, z_M, z_EG, z_EM (rows '+SiO', '+HiT', ...)",
  'odin-hyperbolic': "ODIN's input step raising z_H on the HiO model (row 'ODIN +HiO')",
  mahalanobis:
    "Mahalanobis (Lee et al. 2018) on every model's backbone feature, fitted on the ID training set (rows 'Mahalanobis', 'Mahalanobis +HiO', ...; not in the paper's tables)",
  knn: "KNN (Sun et al. 2022), distance to the k-th nearest ID training feature (k = detectors.knnK, default 50), every model (rows 'KNN (k=50)', 'KNN (k=50) +HiO', ...; not in the paper's tables)",
  eloc: "ELOC (Vyas et al. 2018) on the ELOC models' leave-out classifiers: sum of max p - H(p) at T = eloc.temperature on ODIN-perturbed input (rows 'ELOC', 'ELOC +HiT')",
};

/** The detectors fitted on the model's features over the ID training set before they score. */
const FITTED_DETECTORS: ReadonlySet<DetectorName> = new Set(['mahalanobis', 'knn']);

/** The detectors an experiment run scores with: the paper's, as its config enables them ('eloc' when it trains an ELOC model). */
export function runDetectors(config: OodConfig): DetectorName[] {
  const { detectors } = config;
  return DETECTOR_NAMES.filter((d) => {
    if (d === 'msp') return detectors.msp;
    if (d === 'odin' || d === 'odin-hyperbolic') return detectors.odin;
    if (d === 'maxlogit') return detectors.maxlogit;
    if (d === 'energy') return detectors.energy;
    if (d === 'mahalanobis') return detectors.mahalanobis;
    if (d === 'knn') return detectors.knn;
    if (d === 'eloc') return config.models.some((m) => modelRecord(m).kind === 'eloc');
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
  /**
   * A GiO model's geometric logits output that this row reads as its classifier's logits (MaxLogit and
   * energy, which read the Euclidean logits of the other models); absent: the model as described.
   */
  classifierOutput?: number;
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

/** A fitted detector's row of model `b`: the label alone on the baseline, 'label +HiO' on a geometric model (as 'ODIN +HiO'). */
function fittedRowName(label: string, b: BuiltModel): string {
  return b.spec === null ? label : `${label} +${b.name}`;
}

/** The geometric logits outputs of a GiO model's classifiers ('(sphere)' / '(ball)' tell a mixed head's two apart). */
function gioClassifiers(b: BuiltModel): { index: number; suffix: string }[] {
  if (b.spec === null || b.spec.kind !== 'gio') return [];
  const logits = b.spec.outputs.filter((o) => o.role === 'logits');
  return logits.map((o) => ({ index: o.index, suffix: logits.length > 1 ? ` (${o.space === 'sphere' ? 'sphere' : 'ball'})` : '' }));
}

/**
 * MaxLogit or energy on every model: the baseline's logits (row `label`), a GiT model's Euclidean logits
 * ('label +SiT'), each geometric classifier of a GiO model ('label +HiO', 'label +MiO (sphere)').
 */
function logitRows(label: string, registered: string, score: string, b: BuiltModel): DetectorRow[] {
  if (b.spec === null || b.spec.kind === 'git') return [{ method: fittedRowName(label, b), registered, options: {}, score }];
  return gioClassifiers(b).map(({ index, suffix }) => ({
    method: `${label} +${b.name}${suffix}`,
    registered,
    options: {},
    score: `${score} of the geometric logits (output ${index})`,
    classifierOutput: index,
  }));
}

/** Classes of the model's classifier (Mahalanobis fits one mean per class, labels 0..classes-1). */
function classesOf(b: BuiltModel): number {
  return b.model.outputs[b.predictionOutput]!.shape[1]!;
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
  maxlogit: (b) => logitRows('MaxLogit', 'maxlogit', 'maxLogitScore', b),
  energy: (b) => logitRows('Energy', 'energy', 'energyScore(T=1)', b),
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
  mahalanobis: (b) => [
    {
      method: fittedRowName('Mahalanobis', b),
      registered: 'mahalanobis',
      options: { numClasses: classesOf(b) },
      score: `mahalanobis(numClasses=${classesOf(b)}, features of layer '${b.featureLayer}', fitted on the ID training set)`,
    },
  ],
  // ELOC rows score an ensemble of networks, not one: score/score-eloc.ts gives them.
  eloc: () => [],
  knn: (b, { detectors: d }) => [
    {
      method: fittedRowName(`KNN (k=${d.knnK})`, b),
      registered: 'knn',
      options: { k: d.knnK },
      score: `knn(k=${d.knnK}, features of layer '${b.featureLayer}', fitted on the ID training set)`,
    },
  ],
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
  /**
   * Higher = more anomalous, one value per image; `outputs` are the outputs on `images` of
   * `scoringModel(built, methods)` (the model's own, plus its feature last when a row is fitted).
   */
  compute(outputs: tf.Tensor2D[], images: EvalImages): Float32Array;
  /**
   * Present on rows fitted on the ID training set (Mahalanobis, KNN): call it once before `compute`
   * with the scoring model's outputs on the training images and their class ids (0..classes-1).
   */
  fit?(trainOutputs: tf.Tensor2D[], labels: ArrayLike<number>): void;
  /** Frees what `fit` kept (a no-op for the other rows). */
  dispose(): void;
}

/** True when one of `detectors` is fitted on the ID training set (so the scoring model also outputs the feature). */
export function needsFeatures(detectors: Iterable<DetectorName>): boolean {
  for (const d of detectors) if (FITTED_DETECTORS.has(d)) return true;
  return false;
}

/**
 * The model as the registry's detectors see it (the head's trained curvature, read now); with
 * `features`, its feature layer is its last output, role 'features' (what Mahalanobis and KNN read).
 */
export function detectorModelOf(built: BuiltModel, features = false): DetectorModel {
  if (built.spec !== null) return geoDetectorModel(built.model, features ? { featureLayer: built.featureLayer } : {});
  const forward = features ? withFeatureOutput(built.model, built.featureLayer) : built.model;
  return {
    outputs: [
      { index: 0, role: 'logits', space: 'euclidean' },
      ...(features ? [{ index: 1, role: 'features', space: 'euclidean' } as const] : []),
    ],
    apply: (x) => {
      const y = forward.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
      return Array.isArray(y) ? y : [y];
    },
  };
}

/**
 * `model` as a Euclidean-logit detector (MaxLogit, energy) should read a GiO model: its logits output
 * `index` described as the classifier's logits. A GiO model has no Euclidean logits, so this one is the
 * only output the detector finds; the values are untouched.
 */
export function classifierView(model: DetectorModel, index: number): DetectorModel {
  return { ...model, outputs: model.outputs.map((o) => (o.index === index ? { ...o, space: 'euclidean' as const } : o)) };
}

/** The model whose outputs the rows of `methods` compute on: `built.model`, with its feature layer appended when a row is fitted. */
export function scoringModel(built: BuiltModel, methods: readonly ScoreMethod[]): tfl.LayersModel {
  return needsFeatures(methods.map((m) => m.detector)) ? withFeatureOutput(built.model, built.featureLayer) : built.model;
}

/**
 * The methods that score a trained model (paper Tables III and IV): the Euclidean baseline gives
 * MSP (Hendrycks & Gimpel) and ODIN; a GiO model its geometric score (z_S, z_H, z_M), HiO also
 * ODIN +HiO; a GiT model z_EG / z_EM in both directions; MaxLogit, energy, Mahalanobis and KNN
 * every model (beyond the paper). `detectors` picks which (default: the
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
  const described = detectorModelOf(built, needsFeatures(rows.map((r) => r.detector)));
  return rows.map(({ detector, row }) => {
    const scorer = getDetector(row.registered, row.options);
    const model = row.classifierOutput === undefined ? described : classifierView(described, row.classifierOutput);
    const method: ScoreMethod = {
      method: row.method,
      model: built.name,
      detector,
      score: row.score,
      compute: (outputs, images) => {
        if (!scorer.needsInput) return scorer.score(model, { outputs });
        // ODIN's chunks of ODIN_BATCH_ROWS fall inside the prediction batches (a multiple of them).
        return scoreInBatches(images, (x) => scorer.score(model, { x }));
      },
      dispose: () => scorer.dispose?.(),
    };
    const fit = scorer.fit?.bind(scorer);
    if (fit) method.fit = (trainOutputs, labels) => fit(model, { outputs: trainOutputs, labels });
    return method;
  });
}
