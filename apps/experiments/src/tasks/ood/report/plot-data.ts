import { auroc, downsampleCurve, rocCurve } from '@curvad/metrics';
import type { RocPlot, ScoreHistogram } from '../../../core/results/results-file';

/** Bins per histogram in the score-density plots. */
export const HISTOGRAM_BINS = 40;
/** Tails cut from the histogram range (each side), so one outlier does not squash the plot. */
const HISTOGRAM_TAIL = 0.005;
/** Points kept of each ROC curve for display (the AUROC in the tables uses the full curve). */
export const ROC_PLOT_POINTS = 200;

function quantile(sorted: Float32Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/**
 * Histogram of every set's scores on shared edges spanning the pooled 0.5%..99.5% quantiles.
 * Scores outside that range are not binned (they would pile up in the end bins as false spikes):
 * they are counted per set in `clipped.below` / `clipped.above`, and the report prints them.
 */
export function scoreHistogram(method: string, sets: { name: string; scores: Float32Array }[]): ScoreHistogram {
  const all = Float32Array.from(sets.flatMap((s) => Array.from(s.scores))).sort();
  let lo = quantile(all, HISTOGRAM_TAIL);
  let hi = quantile(all, 1 - HISTOGRAM_TAIL);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => lo + i * width);
  const counts: Record<string, number[]> = {};
  const below: Record<string, number> = {};
  const above: Record<string, number> = {};
  for (const set of sets) {
    const c = new Array<number>(HISTOGRAM_BINS).fill(0);
    let low = 0;
    let high = 0;
    for (const v of set.scores) {
      if (v < lo) low += 1;
      else if (v > hi) high += 1;
      // v === hi belongs to the last bin (the range is closed on both ends).
      else c[Math.min(HISTOGRAM_BINS - 1, Math.floor((v - lo) / width))]! += 1;
    }
    counts[set.name] = c;
    below[set.name] = low;
    above[set.name] = high;
  }
  return { method, edges, counts, clipped: { below, above } };
}

/** The ROC curve of ID (normal) vs one OOD set, downsampled for display, with its exact AUROC. */
export function rocPlot(method: string, oodSet: string, idScores: Float32Array, oodScores: Float32Array): RocPlot {
  const scores = new Float32Array(idScores.length + oodScores.length);
  scores.set(idScores);
  scores.set(oodScores, idScores.length);
  const labels = new Uint8Array(scores.length).fill(1, idScores.length);
  const curve = downsampleCurve(rocCurve(scores, labels), ROC_PLOT_POINTS);
  return { method, oodSet, fpr: Array.from(curve.fpr), tpr: Array.from(curve.tpr), auroc: auroc(scores, labels) };
}
