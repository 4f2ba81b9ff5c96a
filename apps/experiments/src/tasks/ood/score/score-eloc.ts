// Scoring an ELOC unit: the registered 'eloc' detector of @curvad/anomaly-scores (ODIN's input step
// raising the summed confidence, then sum_k [max p_k - H(p_k)] at T, negated) over the ensemble's
// leave-out classifiers (model/eloc-models.ts' adapter), on the ID test set and every OOD set, and
// the ensemble's ID accuracy. Rows: 'ELOC' (baseline members) and 'ELOC +HiT' (HiT members: their
// Euclidean and hyperbolic classifiers are all leave-out classifiers of the score).
import { getDetector } from '@curvad/anomaly-scores';
import * as tf from '@tensorflow/tfjs-core';
import { predict, scoreInBatches } from '../../../core/predict';
import { InterruptedError } from '../../../experiment-error';
import type { OodConfig } from '../config/ood-config';
import type { ConfigurationData } from '../data/load-data';
import { type BuiltEloc, elocDetectorModel } from '../model/eloc-models';
import { ensembleAccuracy } from './eloc-accuracy';
import type { DetectorName } from './score-methods';
import { evaluationSets, type RowDescription, type ScoredModel, scoredMethod } from './score-model';

/** ODIN's gradient pass runs over chunks of this many images (inside the 500-row prediction batches). */
const ELOC_BATCH_ROWS = 250;

/** The row name of an ELOC model: 'ELOC', or 'ELOC +HiT' (the paper's Table V row '+HiT' under ELOC). */
export function elocRowName(eloc: Pick<BuiltEloc, 'name'>): string {
  return eloc.name === 'ELOC' ? 'ELOC' : 'ELOC +HiT';
}

/** The 'eloc' detector's options for the config: ranked output (the exact order without the constant). */
export function elocDetectorOptions(config: OodConfig): Record<string, unknown> {
  const { temperature, epsilon } = config.eloc;
  return { temperature, epsilon, output: 'rank', batchSize: ELOC_BATCH_ROWS };
}

/** The ELOC row of an ensemble, as results.json describes it. */
export function elocRow(eloc: BuiltEloc, config: OodConfig): RowDescription {
  const { temperature, epsilon } = config.eloc;
  const classifiers =
    eloc.name === 'ELOC'
      ? `${eloc.members.length} leave-out classifiers`
      : `${eloc.members.length} HiT leave-out models (Euclidean and hyperbolic classifiers)`;
  return {
    method: elocRowName(eloc),
    model: eloc.name,
    detector: 'eloc',
    score: `elocScore(T=${temperature}, eps=${epsilon}, summed input step; ${classifiers})`,
  };
}

/** Each member's Euclidean logits (its prediction output) on `images`. */
async function memberLogits(eloc: BuiltEloc, data: ConfigurationData, signal?: AbortSignal): Promise<tf.Tensor2D[]> {
  const logits: tf.Tensor2D[] = [];
  try {
    for (const { built } of eloc.members) {
      const outputs = await predict(built.model, data.test, signal);
      const [kept] = outputs.splice(built.predictionOutput, 1);
      tf.dispose(outputs);
      logits.push(kept!);
    }
  } catch (error) {
    tf.dispose(logits);
    throw error;
  }
  return logits;
}

/**
 * Scores the ensemble on the ID test set and every OOD set with the 'eloc' detector (when `detectors`
 * is absent or names it) and measures the ensemble's ID test accuracy. No training.
 */
export async function scoreEloc(
  eloc: BuiltEloc,
  config: OodConfig,
  data: ConfigurationData,
  detectors: readonly DetectorName[] | undefined,
  signal?: AbortSignal,
): Promise<ScoredModel> {
  const logits = await memberLogits(eloc, data, signal);
  let idAccuracy: number;
  try {
    idAccuracy = ensembleAccuracy(
      logits,
      eloc.members.map((m) => m.fold),
      data.test.labels,
    );
  } finally {
    tf.dispose(logits);
  }
  if (detectors !== undefined && !detectors.includes('eloc')) return { idAccuracy, methods: [] };
  const detector = getDetector('eloc', elocDetectorOptions(config));
  const model = elocDetectorModel(eloc);
  const scores: Float32Array[] = [];
  for (const set of evaluationSets(data)) {
    if (signal?.aborted) throw new InterruptedError('interrupted during scoring');
    scores.push(scoreInBatches(set.images, (x) => detector.score(model, { x })));
  }
  return { idAccuracy, methods: [scoredMethod(elocRow(eloc, config), data, scores)] };
}
