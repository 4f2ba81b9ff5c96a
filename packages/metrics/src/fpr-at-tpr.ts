import { MetricsError } from './errors';
import { type Labels, type RankedScores, rankScores, type Scores } from './ranked-scores';

/** The TPR level of the paper's tables (FPR at 95% TPR). */
export const DEFAULT_TPR_LEVEL = 0.95;

export function checkTprLevel(tpr: number): void {
  if (typeof tpr !== 'number' || !(tpr > 0 && tpr <= 1)) {
    throw new MetricsError('bad-parameter', `fprAtTpr: tpr level ${String(tpr)} is outside (0, 1]; pass a fraction such as 0.95 (not 95).`);
  }
}

/**
 * FPR at a TPR level with normal as the positive class (ODIN's convention, the paper's tables):
 * a sample is accepted as normal when score <= t. Scanning the distinct scores upward, the first
 * t whose fraction of accepted normals reaches `tpr` is the strictest such threshold; the result
 * is the fraction of anomalies accepted there. Fractions are compared as `count / total >= tpr`,
 * so 19 of 20 normals meets 0.95 exactly.
 */
export function fprAtTprFromRanked(ranked: RankedScores, tpr: number): number {
  const { anomalous, normal, totalAnomalous, totalNormal } = ranked;
  let acceptedNormal = 0;
  let acceptedAnomalous = 0;
  for (let g = anomalous.length - 1; g >= 0; g--) {
    acceptedNormal += normal[g]!;
    acceptedAnomalous += anomalous[g]!;
    if (acceptedNormal / totalNormal >= tpr) return acceptedAnomalous / totalAnomalous;
  }
  // Unreachable for tpr <= 1: the highest threshold accepts every normal sample.
  return 1;
}

/**
 * Fraction of anomalies (label 1) accepted as normal at the strictest threshold that accepts at
 * least `tpr` of the normal samples (normal = positive class; every distinct score is a threshold;
 * no interpolation). `fprAtTpr(s, y)` is the paper's FPR at 95% TPR.
 */
export function fprAtTpr(scores: Scores, labels: Labels, tpr: number = DEFAULT_TPR_LEVEL): number {
  checkTprLevel(tpr);
  return fprAtTprFromRanked(rankScores(scores, labels, 'fprAtTpr'), tpr);
}
