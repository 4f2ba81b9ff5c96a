import type { RocPlot, ScoreHistogram } from '../results/results-file';

/** FPR grid on which each trial's ROC curve is read before averaging (step 0.01). */
export const ROC_GRID_STEPS = 100;

/** TPR of a ROC curve at false positive rate `x`: the top of a vertical step, linear between points. */
export function tprAt(curve: Pick<RocPlot, 'fpr' | 'tpr'>, x: number): number {
  let best = 0;
  for (let i = 0; i < curve.fpr.length; i++) {
    const f = curve.fpr[i]!;
    if (f <= x) best = Math.max(best, curve.tpr[i]!);
    else {
      const prevF = curve.fpr[i - 1];
      if (prevF !== undefined && prevF < x) {
        const t = curve.tpr[i - 1]! + ((x - prevF) / (f - prevF)) * (curve.tpr[i]! - curve.tpr[i - 1]!);
        best = Math.max(best, t);
      }
      break;
    }
  }
  return best;
}

/** The grid points 0, 0.01, ..., 1. */
export function rocGrid(): number[] {
  return Array.from({ length: ROC_GRID_STEPS + 1 }, (_, i) => i / ROC_GRID_STEPS);
}

export interface PooledHistogram {
  method: string;
  edges: number[];
  counts: Record<string, number[]>;
  /** Clipped counts summed over trials; null when some trial did not record them (old files). */
  clipped: { below: Record<string, number>; above: Record<string, number> } | null;
  trials: number;
}

/**
 * One method's histograms of several trials (each on its own edges) on shared edges spanning all of
 * them: each bin's count is split over the shared bins by overlap (uniform within a bin).
 */
export function poolHistograms(histograms: ScoreHistogram[]): PooledHistogram {
  const first = histograms[0]!;
  if (histograms.length === 1)
    return { method: first.method, edges: first.edges, counts: first.counts, clipped: first.clipped ?? null, trials: 1 };
  const bins = first.edges.length - 1;
  const lo = Math.min(...histograms.map((h) => h.edges[0]!));
  const hi = Math.max(...histograms.map((h) => h.edges.at(-1)!));
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const counts: Record<string, number[]> = {};
  for (const h of histograms) {
    for (const [set, setCounts] of Object.entries(h.counts)) {
      counts[set] ??= new Array<number>(bins).fill(0);
      const pooled = counts[set];
      setCounts.forEach((count, i) => {
        const a = h.edges[i]!;
        const b = h.edges[i + 1]!;
        if (count === 0) return;
        if (!(b > a) || !(width > 0)) {
          pooled[Math.min(bins - 1, Math.max(0, Math.floor((a - lo) / width) || 0))]! += count;
          return;
        }
        for (let j = Math.max(0, Math.floor((a - lo) / width)); j < bins && edges[j]! < b; j++) {
          const overlap = Math.min(b, edges[j + 1]!) - Math.max(a, edges[j]!);
          if (overlap > 0) pooled[j]! += (count * overlap) / (b - a);
        }
      });
    }
  }
  const recorded = histograms.every((h) => h.clipped);
  const clipped = recorded ? { below: {} as Record<string, number>, above: {} as Record<string, number> } : null;
  if (clipped) {
    for (const h of histograms) {
      for (const [set, n] of Object.entries(h.clipped!.below)) clipped.below[set] = (clipped.below[set] ?? 0) + n;
      for (const [set, n] of Object.entries(h.clipped!.above)) clipped.above[set] = (clipped.above[set] ?? 0) + n;
    }
  }
  return { method: first.method, edges, counts, clipped, trials: histograms.length };
}
