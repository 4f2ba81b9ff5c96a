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
import { MetricsError } from './errors';
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

/** Pixels ranked for the PRO curve: each class ascending, anomalous pixels with their region's weight. */
interface ProRanking {
  readonly anomalous: Float64Array;
  /** Weight of each anomalous pixel (same order): 1 / (regions x |its region|). */
  readonly anomalousWeight: Float64Array;
  readonly normal: Float64Array;
  readonly regions: number;
}

function rankForPro(data: PixelData, what: string): ProRanking {
  const [images, height, width] = checkPixelData(data, what);
  const pixels = height * width;
  const { anomalyMaps: maps, masks } = data;
  let anomalousPixels = 0;
  for (let i = 0; i < masks.length; i++) if (masks[i] !== 0) anomalousPixels++;
  const normalPixels = masks.length - anomalousPixels;
  const anomalous = new Float64Array(anomalousPixels);
  const anomalousRegion = new Uint32Array(anomalousPixels);
  const normal = new Float64Array(normalPixels);
  // Region ids are global (numbered image by image); sizes[0] is unused.
  const regionSizes: number[] = [0];
  let a = 0;
  let b = 0;
  for (let image = 0; image < images; image++) {
    const offset = image * pixels;
    const { labels, count, sizes } = connectedComponents(masks.subarray(offset, offset + pixels), height, width);
    const base = regionSizes.length - 1;
    for (let p = 0; p < pixels; p++) {
      const r = labels[p]!;
      // `+ 0` merges -0 and +0 into one score.
      if (r !== 0) {
        anomalous[a] = maps[offset + p]! + 0;
        anomalousRegion[a++] = base + r;
      } else {
        normal[b++] = maps[offset + p]! + 0;
      }
    }
    for (let r = 1; r <= count; r++) regionSizes.push(sizes[r]!);
  }
  const regions = regionSizes.length - 1;
  if (regions === 0 || normalPixels === 0) {
    throw new MetricsError(
      'single-class',
      regions === 0
        ? `${what}: no mask has an anomalous (nonzero) pixel, so there is no region to overlap. Evaluate images with anomalies.`
        : `${what}: every pixel is anomalous, so the false positive rate is undefined. Include normal pixels.`,
    );
  }
  sortFloat64(anomalous, anomalousRegion);
  sortFloat32Valued(normal);
  const anomalousWeight = new Float64Array(anomalousPixels);
  for (let k = 0; k < anomalousPixels; k++) anomalousWeight[k] = 1 / (regions * regionSizes[anomalousRegion[k]!]!);
  return { anomalous, anomalousWeight, normal, regions };
}

/**
 * Walks the PRO curve from the highest threshold down, calling `visit(fpr, pro, threshold)` once per
 * distinct score (after (0, 0), which is not visited). Stops early when `visit` returns false.
 */
function walkProCurve(ranking: ProRanking, visit: (fpr: number, pro: number, threshold: number) => boolean): void {
  const { anomalous, anomalousWeight, normal } = ranking;
  let i = anomalous.length - 1;
  let j = normal.length - 1;
  let flaggedNormal = 0;
  let overlap = 0;
  while (i >= 0 || j >= 0) {
    const x = i >= 0 ? anomalous[i]! : -Infinity;
    const y = j >= 0 ? normal[j]! : -Infinity;
    const v = Math.max(x, y);
    while (i >= 0 && anomalous[i] === v) overlap += anomalousWeight[i--]!;
    while (j >= 0 && normal[j] === v) {
      flaggedNormal++;
      j--;
    }
    // The weights of all regions sum to 1 up to rounding; the last point flags everything.
    const pro = i < 0 && j < 0 ? 1 : overlap;
    if (!visit(flaggedNormal / normal.length, pro, v)) return;
  }
}

/** The full PRO curve over all pixels of all images (one point per distinct score, for plots). */
export function proCurve(data: PixelData): ProCurve {
  const ranking = rankForPro(data, 'proCurve');
  const capacity = ranking.anomalous.length + ranking.normal.length + 1;
  const fpr = new Float64Array(capacity);
  const pro = new Float64Array(capacity);
  const thresholds = new Float64Array(capacity);
  thresholds[0] = Infinity;
  let point = 0;
  walkProCurve(ranking, (f, p, t) => {
    point++;
    fpr[point] = f;
    pro[point] = p;
    thresholds[point] = t;
    return true;
  });
  return {
    fpr: fpr.subarray(0, point + 1),
    pro: pro.subarray(0, point + 1),
    thresholds: thresholds.subarray(0, point + 1),
    regions: ranking.regions,
  };
}

/**
 * Area of the trapezoid from (f0, p0) to (f1, p1), cut at `limit` when f1 passes it. Shared by
 * `integrateProCurve` and the streaming integral in `aupro`, so both give identical numbers.
 */
function trapezoidUpTo(f0: number, p0: number, f1: number, p1: number, limit: number): number {
  if (f1 <= limit) return ((f1 - f0) * (p0 + p1)) / 2;
  const atLimit = p0 + ((p1 - p0) * (limit - f0)) / (f1 - f0);
  return ((limit - f0) * (p0 + atLimit)) / 2;
}

/** Trapezoid area under (fpr, pro) from 0 to `limit`, the last segment cut at the limit. */
export function integrateProCurve(curve: Pick<ProCurve, 'fpr' | 'pro'>, limit: number): number {
  const { fpr, pro } = curve;
  let area = 0;
  for (let k = 1; k < fpr.length; k++) {
    area += trapezoidUpTo(fpr[k - 1]!, pro[k - 1]!, fpr[k]!, pro[k]!, limit);
    if (fpr[k]! > limit) break;
  }
  return area;
}

/**
 * AUPRO: the PRO curve integrated from FPR 0 to `fprLimit` (default 0.3) and divided by `fprLimit`,
 * so 1 is perfect. Regions are the 8-connected components of each image's mask.
 */
export function aupro(data: PixelData, options: { fprLimit?: number } = {}): number {
  const limit = options?.fprLimit ?? DEFAULT_PRO_FPR_LIMIT;
  if (typeof limit !== 'number' || !(limit > 0 && limit <= 1)) {
    throw new MetricsError('bad-parameter', `aupro: fprLimit ${String(limit)} is outside (0, 1]; anomalib uses 0.3.`);
  }
  // Integrated while walking, stopping at the limit: no curve arrays, so memory stays at the ranking.
  let area = 0;
  let previousFpr = 0;
  let previousPro = 0;
  walkProCurve(rankForPro(data, 'aupro'), (fpr, pro) => {
    area += trapezoidUpTo(previousFpr, previousPro, fpr, pro, limit);
    previousFpr = fpr;
    previousPro = pro;
    return fpr <= limit;
  });
  return area / limit;
}
