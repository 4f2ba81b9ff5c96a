import { getDetector, ROTATIONS, rotateImages } from '@curvad/anomaly-scores';
import { evaluate } from '@curvad/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { SetScores } from '../../../core/artifacts/score-files';
import { scoreInBatches } from '../../../core/predict';
import type { MethodResult, RocPlot, ScoreHistogram } from '../../../core/results/results-file';
import { InterruptedError } from '../../../experiment-error';
import { rocPlot, scoreHistogram } from '../../ood/report/plot-data';
import type { OneClassConfig } from '../config/one-class-config';
import { ANOMALOUS_SET, type OneClassData } from '../data/load-data';
import { releasedRotations } from '../data/released-rotations';
import type { BuiltRotNet } from '../model/build-model';
import { type RotationRow, rotationRows } from './score-methods';

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
 * Scores a trained RotNet model with every row of its scorings on the normal and the anomalous
 * test images (one detector call per batch of 500 images; the released rows get the trial's seeded
 * rotation of each image as data.labels), and evaluates each row with @curvad/metrics (normal = 0,
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
  const sets = [
    { name: NORMAL_SET, images: data.normalTest, rotations: rotations.subarray(0, normalRows) },
    { name: ANOMALOUS_SET, images: data.anomalousTest, rotations: rotations.subarray(normalRows) },
  ];
  const rows: ScoredRow[] = [];
  for (const row of rotationRows(built.name, config)) {
    if (signal?.aborted) throw new InterruptedError('interrupted during scoring');
    const detector = getDetector(row.detector);
    const perSet = sets.map((set) => {
      let offset = 0;
      return scoreInBatches(set.images, (x) => {
        const labels = set.rotations.subarray(offset, offset + x.shape[0]);
        offset += x.shape[0];
        return detector.score(built.detectorModel, row.detector === 'rotnet-released' ? { x, labels } : { x });
      });
    });
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
