import { type Labels, type RankedScores, rankScores, type Scores } from './ranked-scores';

/**
 * Detection error (ODIN): min over thresholds t of 0.5 (1 - TPR(t)) + 0.5 FPR(t), normal positive,
 * accepted as normal when score <= t. Thresholds are every distinct score plus "accept nothing"
 * (error exactly 0.5), so the result is at most 0.5; ODIN scans a fixed grid instead, which can
 * only miss the optimum.
 */
export function detectionErrorFromRanked(ranked: RankedScores): number {
  const { anomalous, normal, totalAnomalous, totalNormal } = ranked;
  let best = 0.5;
  let acceptedNormal = 0;
  let acceptedAnomalous = 0;
  for (let g = anomalous.length - 1; g >= 0; g--) {
    acceptedNormal += normal[g]!;
    acceptedAnomalous += anomalous[g]!;
    const error = 0.5 * (1 - acceptedNormal / totalNormal) + 0.5 * (acceptedAnomalous / totalAnomalous);
    if (error < best) best = error;
  }
  return best;
}

/** Minimum over all thresholds of 0.5 (1 - TPR) + 0.5 FPR (normal positive, as ODIN). In [0, 0.5]. */
export function detectionError(scores: Scores, labels: Labels): number {
  return detectionErrorFromRanked(rankScores(scores, labels, 'detectionError'));
}
