import { evaluate } from '@curvad/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { SetScores } from '../../../core/artifacts/score-files';
import type { EvalImages } from '../../../core/eval-images';
import { accuracy, predict } from '../../../core/predict';
import type { MethodResult, RocPlot, ScoreHistogram } from '../../../core/results/results-file';
import { InterruptedError } from '../../../experiment-error';
import type { OodConfig } from '../config/ood-config';
import type { ConfigurationData } from '../data/load-data';
import type { BuiltModel } from '../model/build-model';
import { rocPlot, scoreHistogram } from '../report/plot-data';
import { type DetectorName, scoreMethods } from './score-methods';

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

/**
 * Scores a trained model with `detectors` on the ID test set and every OOD set, evaluates each row
 * with @curvad/metrics (ID = 0, OOD = 1) and measures the ID test accuracy. No training.
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
  try {
    for (const set of sets) perSet.push(await predict(built.model, set.images, signal));
    const idAccuracy = accuracy(perSet[0]![built.predictionOutput]!, data.test.labels);
    const methods: ScoredMethod[] = [];
    for (const method of scoreMethods(built, config, detectors)) {
      if (signal?.aborted) throw new InterruptedError('interrupted during scoring');
      const scores = sets.map((set, i) => method.compute(perSet[i]!, set.images));
      const perOod: MethodResult['perOod'] = {};
      data.ood.forEach((set, i) => {
        const { scores: s, labels } = concatScores(scores[0]!, scores[i + 1]!);
        perOod[set.name] = evaluate(s, labels);
      });
      methods.push({
        detector: method.detector,
        result: { method: method.method, model: built.name, score: method.score, perOod },
        scores: sets.map((s, i) => ({ set: s.name, scores: scores[i]! })),
        histogram: scoreHistogram(
          method.method,
          sets.map((s, i) => ({ name: s.name, scores: scores[i]! })),
        ),
        roc: data.ood.map((set, i) => rocPlot(method.method, set.name, scores[0]!, scores[i + 1]!)),
      });
    }
    return { idAccuracy, methods };
  } finally {
    tf.dispose(perSet.flat());
  }
}
