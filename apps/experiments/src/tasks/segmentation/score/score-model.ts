// Scoring a trained segmentation model on the test scenes: one forward pass per batch of scenes,
// every row's detector on the per-pixel logits (a pixel is a row), the Euclidean classifier's
// argmax for the mIoU of the known classes, then each row's metric sets (pixel-protocol.ts).
import { type Detector, getDetector } from '@curvad/anomaly-scores';
import { meanIou } from '@curvad/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { MethodResult, RocPlot, ScoreHistogram } from '../../../core/results/results-file';
import { InterruptedError } from '../../../experiment-error';
import { rocPlot, scoreHistogram } from '../../ood/report/plot-data';
import type { SegmentationConfig } from '../config/segmentation-config';
import { IGNORE_LABEL, type SceneSplit } from '../data/load-data';
import type { BuiltSegmenter } from '../model/build-model';
import { sceneBatch } from '../train/train-model';
import { PER_IMAGE_SET, POOLED_SET, pixelMetricSets, type ScoreMaps } from './pixel-protocol';
import { type PixelRow, pixelRowsOf } from './pixel-rows';

/** Test scenes per forward pass (64x64 scenes of 11 classes: 16 x 4096 pixel rows, a few MB per output). */
export const SCORE_BATCH_SCENES = 16;

/** The name of the normal pixels in histograms (the core's 'ID'). */
export const NORMAL_PIXELS = 'ID';

export interface ScoredPixelRow {
  row: PixelRow;
  result: MethodResult;
  /** The row's anomaly map of every test scene, [scenes, h, w] row-major. */
  maps: Float32Array;
  histogram: ScoreHistogram;
  roc: RocPlot[];
}

export interface ScoredSegmenter {
  /** mIoU of the Euclidean classifier over the known classes (anomalous and unlabelled pixels not counted). */
  miou: number;
  rows: ScoredPixelRow[];
}

/** Every row's raw anomaly maps and the Euclidean prediction of every test pixel. */
export function scorePixels(
  built: BuiltSegmenter,
  rows: readonly PixelRow[],
  test: SceneSplit,
  signal?: AbortSignal,
): { maps: Map<string, Float32Array>; predicted: Uint8Array } {
  const [scenes, h, w] = test.images.shape;
  const pixels = h * w;
  const detectors = new Map<string, Detector>();
  for (const row of rows) if (row.detector) detectors.set(row.method, getDetector(row.detector.name, row.detector.options));
  const maps = new Map<string, Float32Array>();
  for (const row of rows) maps.set(row.method, new Float32Array(scenes * pixels));
  const predicted = new Uint8Array(scenes * pixels);
  try {
    for (let start = 0; start < scenes; start += SCORE_BATCH_SCENES) {
      if (signal?.aborted) throw new InterruptedError('interrupted during scoring');
      const rowsOfBatch = Array.from({ length: Math.min(SCORE_BATCH_SCENES, scenes - start) }, (_, i) => start + i);
      const batch = sceneBatch(test, rowsOfBatch);
      const outputs = tf.tidy(() => built.pixelDetectorModel.apply!(batch.inputs));
      try {
        for (const [method, detector] of detectors) {
          maps.get(method)!.set(detector.score(built.pixelDetectorModel, { outputs }), start * pixels);
        }
        const argmax = tf.argMax(outputs[0]!, 1);
        predicted.set(argmax.dataSync(), start * pixels);
        argmax.dispose();
      } finally {
        tf.dispose([...outputs, batch.inputs, batch.targets]);
      }
    }
  } finally {
    for (const detector of detectors.values()) detector.dispose?.();
  }
  for (const row of rows) {
    if (row.negates !== undefined)
      maps.set(
        row.method,
        maps.get(row.negates)!.map((v) => -v),
      );
  }
  return { maps, predicted };
}

/** The scores of the normal and of the anomalous pixels, for the histogram and ROC plot. */
function splitPixels(maps: Float32Array, masks: Uint8Array): [Float32Array, Float32Array] {
  let anomalous = 0;
  for (const m of masks) anomalous += m;
  const normal = new Float32Array(masks.length - anomalous);
  const anomaly = new Float32Array(anomalous);
  let a = 0;
  let n = 0;
  for (let i = 0; i < masks.length; i++) {
    if (masks[i]) anomaly[a++] = maps[i]!;
    else normal[n++] = maps[i]!;
  }
  return [normal, anomaly];
}

/** Scores `built` on the test scenes with every row of its model and evaluates each (no training). */
export function scoreSegmenter(
  built: BuiltSegmenter,
  config: SegmentationConfig,
  test: SceneSplit,
  classes: number,
  signal?: AbortSignal,
): ScoredSegmenter {
  const rows = pixelRowsOf(built.name, config);
  const { maps, predicted } = scorePixels(built, rows, test, signal);
  const [scenes, h, w] = test.images.shape;
  const scored = rows.map((row): ScoredPixelRow => {
    const rowMaps = maps.get(row.method)!;
    const data: ScoreMaps = { maps: rowMaps, masks: test.masks, shape: [scenes, h, w] };
    const [normal, anomalous] = splitPixels(rowMaps, test.masks);
    return {
      row,
      result: { method: row.method, model: built.name, score: row.detector?.name ?? `-${row.negates}`, perOod: pixelMetricSets(data) },
      maps: rowMaps,
      histogram: scoreHistogram(row.method, [
        { name: NORMAL_PIXELS, scores: normal },
        { name: POOLED_SET, scores: anomalous },
      ]),
      roc: [rocPlot(row.method, POOLED_SET, normal, anomalous)],
    };
  });
  return { miou: meanIou(predicted, test.labels, classes, { ignore: [IGNORE_LABEL] }).mean, rows: scored };
}

export { PER_IMAGE_SET, POOLED_SET };
