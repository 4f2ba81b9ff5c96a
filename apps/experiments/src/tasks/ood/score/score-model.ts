import { evaluate } from '@curvad/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { SetScores } from '../../../core/artifacts/score-files';
import type { EvalImages } from '../../../core/eval-images';
import { accuracy, predict } from '../../../core/predict';
import type { MethodResult, RocPlot, ScoreHistogram } from '../../../core/results/results-file';
import { ConfigError, InterruptedError } from '../../../experiment-error';
import type { OodConfig } from '../config/ood-config';
import type { ConfigurationData } from '../data/load-data';
import type { BuiltModel } from '../model/build-model';
import { rocPlot, scoreHistogram } from '../report/plot-data';
import { type DetectorName, type ScoreMethod, scoreMethods, scoringModel } from './score-methods';

/** One table row of a model with the detector that gave it and its raw scores per set. */
export interface ScoredMethod {
  detector: DetectorName;
  result: MethodResult;
  scores: SetScores[];
  histogram: ScoreHistogram;
  roc: RocPlot[];
}

export interface ScoredModel {
  idAccuracy: number;
  methods: ScoredMethod[];
}

function concatScores(id: Float32Array, ood: Float32Array): { scores: Float32Array; labels: Uint8Array } {
  const scores = new Float32Array(id.length + ood.length);
  scores.set(id);
  scores.set(ood, id.length);
  return { scores, labels: new Uint8Array(scores.length).fill(1, id.length) };
}

/** The ID test set first, then every OOD set: the sets a model is scored on. */
export function evaluationSets(data: ConfigurationData): { name: string; images: EvalImages }[] {
  return [{ name: 'ID', images: data.test }, ...data.ood];
}

/** What a table row is: its name, the model it scores, the detector that gives it and its score function. */
export interface RowDescription {
  method: string;
  model: string;
  detector: DetectorName;
  score: string;
}

/**
 * A row's scores on the evaluation sets (`scores[i]` of evaluationSets(data)[i]: the ID test set, then
 * each OOD set) evaluated with @curvad/metrics (ID = 0, OOD = 1), with its histogram and ROC plots.
 */
export function scoredMethod(row: RowDescription, data: ConfigurationData, scores: readonly Float32Array[]): ScoredMethod {
  const sets = evaluationSets(data);
  const perOod: MethodResult['perOod'] = {};
  data.ood.forEach((set, i) => {
    const { scores: s, labels } = concatScores(scores[0]!, scores[i + 1]!);
    perOod[set.name] = evaluate(s, labels);
  });
  return {
    detector: row.detector,
    result: { method: row.method, model: row.model, score: row.score, perOod },
    scores: sets.map((s, i) => ({ set: s.name, scores: scores[i]! })),
    histogram: scoreHistogram(
      row.method,
      sets.map((s, i) => ({ name: s.name, scores: scores[i]! })),
    ),
    roc: data.ood.map((set, i) => rocPlot(row.method, set.name, scores[0]!, scores[i + 1]!)),
  };
}

/**
 * KNN needs at least k training features: refused before any work, naming the field to change.
 * `knn`: whether the KNN detector is scored.
 */
export function checkKnnK(config: OodConfig, trainRows: number, knn: boolean): void {
  const k = config.detectors.knnK;
  if (knn && k > trainRows) {
    throw new ConfigError(
      `detectors.knnK = ${k} but the ID training set has only ${trainRows} images, and KNN scores by the k-th nearest of them; ` +
        `set --set detectors.knnK=${trainRows} or lower (or train on more images: limits.train).`,
    );
  }
}

/** Fits the rows that need it on the scoring model's outputs over the ID training set (class ids as labels). */
async function fitOnTrainSet(
  methods: readonly ScoreMethod[],
  model: Parameters<typeof predict>[0],
  data: ConfigurationData,
  signal?: AbortSignal,
): Promise<void> {
  const fitted = methods.filter((m) => m.fit !== undefined);
  if (fitted.length === 0) return;
  const outputs = await predict(model, data.train, signal);
  try {
    for (const m of fitted) m.fit!(outputs, data.train.labels);
  } finally {
    tf.dispose(outputs);
  }
}

/**
 * Scores a trained model with `detectors` on the ID test set and every OOD set, evaluates each row
 * with @curvad/metrics (ID = 0, OOD = 1) and measures the ID test accuracy. No training; the
 * detectors fitted on ID data (Mahalanobis, KNN) are fitted on the ID training set first.
 */
export async function scoreModel(
  built: BuiltModel,
  config: OodConfig,
  data: ConfigurationData,
  detectors: readonly DetectorName[] | undefined,
  signal?: AbortSignal,
): Promise<ScoredModel> {
  const sets = evaluationSets(data);
  const perSet: tf.Tensor2D[][] = [];
  const rows = scoreMethods(built, config, detectors);
  checkKnnK(
    config,
    data.train.shape[0],
    rows.some((m) => m.detector === 'knn'),
  );
  const model = scoringModel(built, rows);
  try {
    await fitOnTrainSet(rows, model, data, signal);
    for (const set of sets) perSet.push(await predict(model, set.images, signal));
    const idAccuracy = accuracy(perSet[0]![built.predictionOutput]!, data.test.labels);
    const methods: ScoredMethod[] = [];
    for (const method of rows) {
      if (signal?.aborted) throw new InterruptedError('interrupted during scoring');
      const scores = sets.map((set, i) => method.compute(perSet[i]!, set.images));
      methods.push(scoredMethod({ ...method, model: built.name }, data, scores));
    }
    return { idAccuracy, methods };
  } finally {
    for (const m of rows) m.dispose();
    tf.dispose(perSet.flat());
  }
}
