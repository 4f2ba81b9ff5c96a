import { AnomalyScoreError, type Detector, getDetector, ROTATIONS, rotateImages } from '@curvad/anomaly-scores';
import { imageSetToTensor } from '@curvad/datasets/tfjs';
import { evaluate } from '@curvad/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { SetScores } from '../../../core/artifacts/score-files';
import { scoreInBatches } from '../../../core/predict';
import type { MethodResult, RocPlot, ScoreHistogram } from '../../../core/results/results-file';
import { ExperimentError, InterruptedError } from '../../../experiment-error';
import { rocPlot, scoreHistogram } from '../../ood/report/plot-data';
import type { OneClassConfig } from '../config/one-class-config';
import { ANOMALOUS_SET, type OneClassData } from '../data/load-data';
import { releasedRotations } from '../data/released-rotations';
import type { BuiltRotNet } from '../model/build-model';
import { type RotationRow, rotationRows } from './score-methods';

const TEXT_SUFFIX = '-text';

/** The name of the normal test set in the raw score files and plots (the core's 'ID'). */
export const NORMAL_SET = 'ID';

export interface ScoredRow {
  row: RotationRow;
  result: MethodResult;
  /** Raw scores: the normal test images first, then the anomalous ones. */
  scores: SetScores[];
  histogram: ScoreHistogram;
  roc: RocPlot[];
}

export interface ScoredRotNet {
  /** Rotation accuracy of the Euclidean head over the normal test images in all four rotations. */
  rotationAccuracy: number;
  rows: ScoredRow[];
}

/** Fraction of the normal test images' four rotations whose Euclidean prediction is the rotation. */
export function rotationAccuracy(built: BuiltRotNet, data: Pick<OneClassData, 'normalTest'>): number {
  const euclidean = built.detectorModel.outputs.find((o) => o.role === 'logits' && o.space === 'euclidean')!.index;
  const correct = scoreInBatches(data.normalTest, (x) => {
    const counts = tf.tidy(() =>
      tf.addN(
        Array.from({ length: ROTATIONS }, (_, r) => {
          const logits = built.detectorModel.apply!(rotateImages(x, r))[euclidean]!;
          return tf.cast(tf.equal(tf.argMax(logits, 1), r), 'float32');
        }),
      ),
    );
    try {
      return counts.dataSync() as Float32Array;
    } finally {
      counts.dispose();
    }
  });
  return correct.reduce((a, b) => a + b, 0) / (ROTATIONS * correct.length);
}

/**
 * The registered detector of a row, ready to score: the 'csi' detector is fitted here on the normal
 * class's training images (their four rotations, through the model; balancing from config.csi).
 * The caller disposes it.
 */
function makeDetector(name: string, built: BuiltRotNet, config: OneClassConfig, data: Pick<OneClassData, 'train'>): Detector {
  if (name !== 'csi') return getDetector(name);
  const detector = getDetector(name, { balancing: config.csi.balancing });
  const x = imageSetToTensor(data.train);
  try {
    detector.fit!(built.detectorModel, { x });
  } catch (error) {
    detector.dispose?.();
    if (!AnomalyScoreError.isInstance(error)) throw error;
    throw new ExperimentError(
      `model ${built.name}: fitting the CSI score on the ${data.train.shape[0]} training images failed (csi.balancing ${config.csi.balancing}): ${error.message} In the config: --set csi.balancing=none, or train longer (epochs).`,
      { cause: error },
    );
  } finally {
    x.dispose();
  }
  return detector;
}

interface ScoredSet {
  name: string;
  images: OneClassData['normalTest'];
  rotations: Uint8Array;
}

/** One row's scores of each set (a fresh detector, fitted when it needs to be, disposed after). */
function scoreRow(row: RotationRow, built: BuiltRotNet, config: OneClassConfig, data: OneClassData, sets: ScoredSet[]): Float32Array[] {
  const detector = makeDetector(row.detector, built, config, data);
  try {
    return sets.map((set) => {
      let offset = 0;
      return scoreInBatches(set.images, (x) => {
        const labels = set.rotations.subarray(offset, offset + x.shape[0]);
        offset += x.shape[0];
        return detector.score(built.detectorModel, row.detector === 'rotnet-released' ? { x, labels } : { x });
      });
    });
  } finally {
    detector.dispose?.();
  }
}

/**
 * The text direction of a summed divergence ('rotnet-zEG-text', 'rotnet-zEM-text') is exactly the
 * negated released one (the same float64 sum, the other sign, rounded to float32 symmetrically):
 * with both rows, negate instead of running the model on the four rotations again.
 */
function mirroredScores(detector: string, scoredBy: ReadonlyMap<string, Float32Array[]>): Float32Array[] | undefined {
  if (!detector.endsWith(TEXT_SUFFIX)) return undefined;
  const released = scoredBy.get(detector.slice(0, -TEXT_SUFFIX.length));
  return released?.map((scores) => scores.map((v) => -v));
}

/**
 * Scores a trained RotNet or CSI model with every row of its scorings on the normal and the anomalous
 * test images (one detector call per batch of 500 images; the released rows get the trial's seeded
 * rotation of each image as data.labels; the CSI row's detector is first fitted on the training images), and evaluates each row with @curvad/metrics (normal = 0,
 * anomalous = 1). No training.
 */
export function scoreRotNet(
  built: BuiltRotNet,
  config: OneClassConfig,
  data: OneClassData,
  trial: number,
  signal?: AbortSignal,
): ScoredRotNet {
  const normalRows = data.normalTest.shape[0];
  const rotations = releasedRotations(config.seed, trial, normalRows + data.anomalousTest.shape[0]);
  const sets: ScoredSet[] = [
    { name: NORMAL_SET, images: data.normalTest, rotations: rotations.subarray(0, normalRows) },
    { name: ANOMALOUS_SET, images: data.anomalousTest, rotations: rotations.subarray(normalRows) },
  ];
  const rows: ScoredRow[] = [];
  const scoredBy = new Map<string, Float32Array[]>();
  for (const row of rotationRows(built.name, config)) {
    if (signal?.aborted) throw new InterruptedError('interrupted during scoring');
    const mirrored = mirroredScores(row.detector, scoredBy);
    const perSet = mirrored ?? scoreRow(row, built, config, data, sets);
    scoredBy.set(row.detector, perSet);
    const [normal, anomalous] = perSet as [Float32Array, Float32Array];
    const scores = new Float32Array(normal.length + anomalous.length);
    scores.set(normal);
    scores.set(anomalous, normal.length);
    const labels = new Uint8Array(scores.length).fill(1, normal.length);
    rows.push({
      row,
      result: { method: row.method, model: built.name, score: row.detector, perOod: { [ANOMALOUS_SET]: evaluate(scores, labels) } },
      scores: [
        { set: NORMAL_SET, scores: normal },
        { set: ANOMALOUS_SET, scores: anomalous },
      ],
      histogram: scoreHistogram(row.method, [
        { name: NORMAL_SET, scores: normal },
        { name: ANOMALOUS_SET, scores: anomalous },
      ]),
      roc: [rocPlot(row.method, ANOMALOUS_SET, normal, anomalous)],
    });
  }
  return { rotationAccuracy: rotationAccuracy(built, data), rows };
}
