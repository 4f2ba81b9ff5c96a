// The metrics of a method's anomaly maps on one category (Tables VIII, IX): pixel AUROC over every
// pixel of every test image, image AUROC with the maximum of each map as the image's score, and
// AUPRO up to FPR 0.3 (metrics' aupro, anomalib's default). Stored as two metric sets per row of
// results.json: 'pixels' (with `aupro`) and 'images'.
import { aupro, DEFAULT_PRO_FPR_LIMIT, evaluate } from '@curvad/metrics';
import type { StoredMetricSet } from '../../../core/results/results-file';

export const PIXEL_SET = 'pixels';
export const IMAGE_SET = 'images';

export interface CategoryMaps {
  /** Anomaly maps [images, h, w] row-major, higher = more anomalous. */
  maps: Float32Array;
  /** 1 on defect pixels, [images, h, w]. */
  masks: Uint8Array;
  /** Per image: 1 when it carries a defect. */
  defective: Uint8Array;
  shape: [number, number, number];
}

/** Each image's score: the maximum of its map. */
export function imageScores({ maps, shape }: Pick<CategoryMaps, 'maps' | 'shape'>): Float32Array {
  const [images, h, w] = shape;
  const pixels = h * w;
  const out = new Float32Array(images);
  for (let i = 0; i < images; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let p = i * pixels; p < (i + 1) * pixels; p++) if (maps[p]! > max) max = maps[p]!;
    out[i] = max;
  }
  return out;
}

/** The row's metric sets: pixels (pixel AUROC ..., and AUPRO to FPR 0.3) and images (image AUROC ...). */
export function categoryMetricSets(data: CategoryMaps): Record<string, StoredMetricSet> {
  const pixels: StoredMetricSet = {
    ...evaluate(data.maps, data.masks),
    aupro: aupro({ anomalyMaps: data.maps, masks: data.masks, shape: data.shape }, { fprLimit: DEFAULT_PRO_FPR_LIMIT }),
  };
  return { [PIXEL_SET]: pixels, [IMAGE_SET]: { ...evaluate(imageScores(data), data.defective) } };
}
