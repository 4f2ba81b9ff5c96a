// Per-pixel anomaly scores as heatmap images for report.html (the segmentation task's test scenes,
// the patch-svdd task's test images): each method's scores are normalized by a range the caller
// picks from that method's maps (so the colours compare images of one method, not methods, whose
// scores live on different scales), then mapped through a simple dark-to-bright colour map.

/**
 * The colour map's anchors, low (normal) to high (anomalous): black, purple, red, orange, pale
 * yellow (an inferno-like ramp: monotone in brightness, so it also reads in greyscale). Values
 * between anchors are interpolated linearly.
 */
export const HEATMAP_ANCHORS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

/** The range a method's scores are normalized by: the finite min and max over the maps the caller picked. */
export interface ScoreRange {
  min: number;
  max: number;
}

/** The finite min and max of `maps` together (non-finite scores are left out); { 0, 0 } when none is finite. */
export function scoreRange(maps: readonly ArrayLike<number>[]): ScoreRange {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const map of maps) {
    for (let i = 0; i < map.length; i++) {
      const v = map[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min > max ? { min: 0, max: 0 } : { min, max };
}

/**
 * `score` in [0, 1] of `range` (0 at min, 1 at max; a constant range maps to 0). +Infinity is 1;
 * -Infinity and NaN are 0 (a NaN has no rank; drawn as the normal end).
 */
export function normalizedScore(score: number, range: ScoreRange): number {
  if (Number.isNaN(score)) return 0;
  const span = range.max - range.min;
  if (!(span > 0)) return score === Number.POSITIVE_INFINITY ? 1 : 0;
  return Math.min(1, Math.max(0, (score - range.min) / span));
}

/** The colour of a normalized value t in [0, 1] (clamped), as [r, g, b] bytes. */
export function heatmapColor(t: number): [number, number, number] {
  const last = HEATMAP_ANCHORS.length - 1;
  const x = Math.min(1, Math.max(0, t)) * last;
  const i = Math.min(last - 1, Math.floor(x));
  const f = x - i;
  const a = HEATMAP_ANCHORS[i]!;
  const b = HEATMAP_ANCHORS[i + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + f * (b[c]! - a[c]!))) as [number, number, number];
}

/** One scene's scores as RGB bytes (row-major, 3 a pixel), normalized by `range`. */
export function heatmapRgb(scores: ArrayLike<number>, range: ScoreRange): Uint8Array {
  const rgb = new Uint8Array(scores.length * 3);
  for (let i = 0; i < scores.length; i++) rgb.set(heatmapColor(normalizedScore(scores[i]!, range)), i * 3);
  return rgb;
}
