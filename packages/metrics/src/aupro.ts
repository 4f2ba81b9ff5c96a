/**
 * AUPRO: area under the per-region-overlap (PRO) curve up to a false positive rate limit,
 * divided by that limit (Bergmann et al., MVTec AD; anomalib's `AUPRO`, default limit 0.3).
 *
 * At threshold t (a pixel is flagged when its score >= t):
 *   FPR(t) = flagged normal pixels / all normal pixels (all images pooled);
 *   PRO(t) = mean over ground-truth regions r of (flagged pixels of r) / |r|,
 * regions being the 8-connected components of each image's mask. Every distinct score is a
 * threshold, and the curve starts at (0, 0); the area is the exact trapezoid integral with the
 * last segment cut by linear interpolation at the limit. anomalib resamples every region's curve
 * onto a common index grid before averaging; that approximates this same integral.
 */
import { connectedComponents } from './connected-components';
import { MetricsError } from './metrics-error';
import { checkPixelData, type PixelData } from './pixel-data';
import { sortFloat32Valued, sortFloat64 } from './radix-sort';

/** anomalib's and MVTec AD's default integration limit: beyond FPR 0.3 a segmentation is not useful. */
export const DEFAULT_PRO_FPR_LIMIT = 0.3;

/** The PRO curve: point 0 is (0, 0) with threshold +Infinity, then one point per distinct score. */
export interface ProCurve {
  readonly fpr: Float64Array;
  readonly pro: Float64Array;
  readonly thresholds: Float64Array;
  /** Number of ground-truth regions averaged. */
  readonly regions: number;
}

/** The full PRO curve over all pixels of all images. */
export function proCurve(data: PixelData): ProCurve {
  return computeProCurve(data, 'proCurve');
}

function computeProCurve(data: PixelData, what: string): ProCurve {
  const [images, height, width] = checkPixelData(data, what);
  const pixels = height * width;
  const maps = data.anomalyMaps;
  // Region sizes over all images, region ids global (image by image).
  const regionOfPixel = new Int32Array(maps.length);
  const regionSizes: number[] = [0];
  let anomalousPixels = 0;
  for (let image = 0; image < images; image++) {
    const offset = image * pixels;
    const { labels, count, sizes } = connectedComponents(data.masks.subarray(offset, offset + pixels), height, width);
    const base = regionSizes.length - 1;
    for (let p = 0; p < pixels; p++) {
      const r = labels[p]!;
      if (r !== 0) {
        regionOfPixel[offset + p] = base + r;
        anomalousPixels++;
      }
    }
    for (let r = 1; r <= count; r++) regionSizes.push(sizes[r]!);
  }
  const regions = regionSizes.length - 1;
  const normalPixels = maps.length - anomalousPixels;
  if (regions === 0 || normalPixels === 0) {
    throw new MetricsError(
      'single-class',
      regions === 0
        ? `${what}: no mask has an anomalous (nonzero) pixel, so there is no region to overlap. Evaluate images with anomalies.`
        : `${what}: every pixel is anomalous, so the false positive rate is undefined. Include normal pixels.`,
    );
  }
  const anomalous = new Float64Array(anomalousPixels);
  const anomalousRegion = new Uint32Array(anomalousPixels);
  const normal = new Float64Array(normalPixels);
  let a = 0;
  let b = 0;
  for (let i = 0; i < maps.length; i++) {
    const r = regionOfPixel[i]!;
    if (r !== 0) {
      anomalous[a] = maps[i]! + 0;
      anomalousRegion[a++] = r;
    } else {
      normal[b++] = maps[i]! + 0;
    }
  }
  sortFloat64(anomalous, anomalousRegion);
  sortFloat32Valued(normal);
  // Each pixel of region r adds 1 / (regions |r|) to PRO when it is flagged.
  const weight = regionSizes.map((size) => 1 / (regions * size));
  const fpr = new Float64Array(maps.length + 1);
  const pro = new Float64Array(maps.length + 1);
  const thresholds = new Float64Array(maps.length + 1);
  thresholds[0] = Infinity;
  let i = anomalous.length - 1;
  let j = normal.length - 1;
  let flaggedNormal = 0;
  let overlap = 0;
  let point = 0;
  while (i >= 0 || j >= 0) {
    const x = i >= 0 ? anomalous[i]! : -Infinity;
    const y = j >= 0 ? normal[j]! : -Infinity;
    const v = x > y ? x : y;
    while (i >= 0 && anomalous[i] === v) overlap += weight[anomalousRegion[i--]!]!;
    while (j >= 0 && normal[j] === v) {
      flaggedNormal++;
      j--;
    }
    point++;
    fpr[point] = flaggedNormal / normalPixels;
    pro[point] = overlap;
    thresholds[point] = v;
  }
  // The summed weights of all regions are 1 up to rounding; the last point flags everything.
  pro[point] = 1;
  return {
    fpr: fpr.subarray(0, point + 1),
    pro: pro.subarray(0, point + 1),
    thresholds: thresholds.subarray(0, point + 1),
    regions,
  };
}

/** Trapezoid area under (fpr, pro) from 0 to `limit`, the last segment cut at the limit. */
export function integrateProCurve(curve: Pick<ProCurve, 'fpr' | 'pro'>, limit: number): number {
  const { fpr, pro } = curve;
  let area = 0;
  for (let k = 1; k < fpr.length; k++) {
    const f0 = fpr[k - 1]!;
    const f1 = fpr[k]!;
    const p0 = pro[k - 1]!;
    const p1 = pro[k]!;
    if (f1 <= limit) {
      area += ((f1 - f0) * (p0 + p1)) / 2;
      continue;
    }
    const atLimit = p0 + ((p1 - p0) * (limit - f0)) / (f1 - f0);
    area += ((limit - f0) * (p0 + atLimit)) / 2;
    break;
  }
  return area;
}

/**
 * AUPRO: the PRO curve integrated from FPR 0 to `fprLimit` (default 0.3) and divided by `fprLimit`,
 * so 1 is perfect. Regions are the 8-connected components of each image's mask.
 */
export function aupro(data: PixelData, options: { fprLimit?: number } = {}): number {
  const limit = options.fprLimit ?? DEFAULT_PRO_FPR_LIMIT;
  if (typeof limit !== 'number' || !(limit > 0 && limit <= 1)) {
    throw new MetricsError('bad-parameter', `aupro: fprLimit ${String(limit)} is outside (0, 1]; anomalib uses 0.3.`);
  }
  return integrateProCurve(computeProCurve(data, 'aupro'), limit) / limit;
}
