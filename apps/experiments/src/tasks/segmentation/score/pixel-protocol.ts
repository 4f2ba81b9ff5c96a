// The metrics of a row's score maps (Table VII): the StreetHazards protocol of the released
// evaluation code (per test image with both kinds of pixel: AUROC, AUPR and FPR at 95% TPR with the
// anomalous pixels positive, then the mean over those images), and the same over all test pixels
// pooled. In both metric sets of this task `fpr95` is the StreetHazards FPR95 (anomalous pixels
// positive, the recall nearest 0.95: metrics' fprAtAnomalyRecall), not the normal-positive FPR95 of
// the OOD tables; `auprOut` is the protocol's AUPR (anomalous positive).
import { type DetectionMetrics, fprAtAnomalyRecall, perImagePixelMetrics, pooledPixelMetrics } from '@curvad/metrics';
import type { MetricSet } from '../../../core/results/results-file';

/** results.json's metric sets of a segmentation row (the configuration's two "OOD sets"). */
export const PER_IMAGE_SET = 'per image (StreetHazards protocol)';
export const POOLED_SET = 'pooled pixels';

/** The one set of a row's raw score file (scores/): every test scene's anomaly map, scene after scene, row-major. */
export const SCORE_MAPS_SET = 'score maps';

export interface ScoreMaps {
  /** Anomaly scores [images, h, w] row-major, higher = more anomalous. */
  maps: Float32Array;
  /** 1 on anomalous pixels, [images, h, w]. */
  masks: Uint8Array;
  shape: [number, number, number];
}

function withAnomalyFpr(metrics: DetectionMetrics, fpr95: number): MetricSet {
  return { auroc: metrics.auroc, auprIn: metrics.auprIn, auprOut: metrics.auprOut, fpr95, detectionError: metrics.detectionError };
}

/** The per-image protocol: each image with both kinds of pixel evaluated alone, then the mean of each metric. */
export function perImageProtocol({ maps, masks, shape }: ScoreMaps): { metrics: MetricSet; evaluatedImages: number } {
  const perImage = perImagePixelMetrics({ anomalyMaps: maps, masks, shape });
  const pixels = shape[1] * shape[2];
  const sum: MetricSet = { auroc: 0, auprIn: 0, auprOut: 0, fpr95: 0, detectionError: 0 };
  perImage.images.forEach((m, i) => {
    if (m === null) return;
    const fpr = fprAtAnomalyRecall(maps.subarray(i * pixels, (i + 1) * pixels), masks.subarray(i * pixels, (i + 1) * pixels));
    const set = withAnomalyFpr(m, fpr);
    for (const key of Object.keys(sum) as (keyof MetricSet)[]) sum[key] += set[key];
  });
  for (const key of Object.keys(sum) as (keyof MetricSet)[]) sum[key] /= perImage.evaluatedImages;
  return { metrics: sum, evaluatedImages: perImage.evaluatedImages };
}

/** Every test pixel one sample. */
export function pooledProtocol({ maps, masks, shape }: ScoreMaps): MetricSet {
  return withAnomalyFpr(pooledPixelMetrics({ anomalyMaps: maps, masks, shape }), fprAtAnomalyRecall(maps, masks));
}

/** Both metric sets of a row, as results.json's perOod. */
export function pixelMetricSets(scores: ScoreMaps): Record<string, MetricSet> {
  return { [PER_IMAGE_SET]: perImageProtocol(scores).metrics, [POOLED_SET]: pooledProtocol(scores) };
}
