import { MetricsError } from './errors';
import { type DetectionMetrics, evaluateRanked } from './evaluate';
import { checkPixelData, type PixelData } from './pixel-data';
import { mergeSortedClasses, type RankedScores, sortClasses } from './ranked-scores';

/** Ranks the pixels [start, end) by anomaly score; undefined when they hold only one class. */
function rankPixels(maps: Float32Array, masks: Uint8Array, start: number, end: number): RankedScores | undefined {
  let anomalousCount = 0;
  for (let i = start; i < end; i++) if (masks[i] !== 0) anomalousCount++;
  if (anomalousCount === 0 || anomalousCount === end - start) return undefined;
  // Index 0 of each class holds the -Infinity sentinel that `mergeSortedClasses` expects.
  const anomalous = new Float64Array(anomalousCount + 1);
  const normal = new Float64Array(end - start - anomalousCount + 1);
  anomalous[0] = -Infinity;
  normal[0] = -Infinity;
  let a = 1;
  let b = 1;
  for (let i = start; i < end; i++) {
    // `+ 0` merges -0 and +0 into one group.
    if (masks[i] !== 0) anomalous[a++] = maps[i]! + 0;
    else normal[b++] = maps[i]! + 0;
  }
  return mergeSortedClasses(sortClasses({ anomalous, normal, float32Exact: true }));
}

/**
 * Pixel-level metrics pooled over all pixels of all images (one big ranking, as Patch-SVDD and
 * anomalib's pixel AUROC): the same five numbers as `evaluate`, every pixel a sample.
 */
export function pooledPixelMetrics(data: PixelData): DetectionMetrics {
  const [images, height, width] = checkPixelData(data, 'pooledPixelMetrics');
  const ranked = rankPixels(data.anomalyMaps, data.masks, 0, images * height * width);
  if (ranked === undefined) {
    throw new MetricsError(
      'single-class',
      'pooledPixelMetrics: every pixel of every mask has the same class; pixel metrics need both anomalous ' +
        '(nonzero) and normal (zero) pixels. Check that the masks were loaded (not all zero).',
    );
  }
  return evaluateRanked(ranked);
}

/** Result of `perImagePixelMetrics`. */
export interface PerImagePixelMetrics {
  /** Each metric averaged over the evaluated images (those with both classes). */
  readonly mean: DetectionMetrics;
  /** Per image: its metrics, or null when the image was skipped. */
  readonly images: ReadonlyArray<DetectionMetrics | null>;
  readonly evaluatedImages: number;
  /** Images whose mask holds one class only (typically no anomaly at all), left out of the mean. */
  readonly skippedImages: number;
  readonly skippedImageIndices: readonly number[];
}

/**
 * Pixel-level metrics computed per image and averaged, as hendrycks/anomaly-seg (which the paper's
 * StreetHazards evaluation uses) and pytorch-ood's segmentation mode do. Images with one class only
 * have no defined AUROC and are skipped; the result says how many.
 */
export function perImagePixelMetrics(data: PixelData): PerImagePixelMetrics {
  const [images, height, width] = checkPixelData(data, 'perImagePixelMetrics');
  const pixels = height * width;
  const results: Array<DetectionMetrics | null> = [];
  const skipped: number[] = [];
  const sum: DetectionMetrics = { auroc: 0, auprIn: 0, auprOut: 0, fpr95: 0, detectionError: 0 };
  for (let image = 0; image < images; image++) {
    const ranked = rankPixels(data.anomalyMaps, data.masks, image * pixels, (image + 1) * pixels);
    if (ranked === undefined) {
      results.push(null);
      skipped.push(image);
      continue;
    }
    const metrics = evaluateRanked(ranked);
    results.push(metrics);
    for (const key of Object.keys(sum) as Array<keyof DetectionMetrics>) sum[key] += metrics[key];
  }
  const evaluated = images - skipped.length;
  if (evaluated === 0) {
    throw new MetricsError(
      'single-class',
      `perImagePixelMetrics: none of the ${images} images has both anomalous and normal pixels, so no ` +
        'per-image metric is defined. Evaluate images that contain anomalies, or use pooledPixelMetrics.',
    );
  }
  const mean = { ...sum };
  for (const key of Object.keys(mean) as Array<keyof DetectionMetrics>) mean[key] /= evaluated;
  return {
    mean,
    images: results,
    evaluatedImages: evaluated,
    skippedImages: skipped.length,
    skippedImageIndices: skipped,
  };
}
