import { downsampleCurve, rocCurve } from '@curvad/metrics';
import type { RocPlot, ScoreHistogram } from '../results/results-file';

/** Bins per histogram in the score-density plots. */
export const HISTOGRAM_BINS = 40;
/** Tails cut from the histogram range (each side), so one outlier does not squash the plot. */
const HISTOGRAM_TAIL = 0.005;
/** Points kept of each ROC curve for display (the AUROC in the tables uses the full curve). */
export const ROC_PLOT_POINTS = 200;

function quantile(sorted: Float32Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/** Histogram of every set's scores on shared edges (values outside the range go to the end bins). */
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
  for (const set of sets) {
    const c = new Array<number>(HISTOGRAM_BINS).fill(0);
    for (const v of set.scores) c[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((v - lo) / width)))]! += 1;
    counts[set.name] = c;
  }
  return { method, edges, counts };
}

/** The ROC curve of ID (normal) vs one OOD set, downsampled for display. */
export function rocPlot(method: string, oodSet: string, idScores: Float32Array, oodScores: Float32Array): RocPlot {
  const scores = new Float32Array(idScores.length + oodScores.length);
  scores.set(idScores);
  scores.set(oodScores, idScores.length);
  const labels = new Uint8Array(scores.length).fill(1, idScores.length);
  const curve = downsampleCurve(rocCurve(scores, labels), ROC_PLOT_POINTS);
  return { method, oodSet, fpr: Array.from(curve.fpr), tpr: Array.from(curve.tpr) };
}
