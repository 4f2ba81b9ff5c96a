import { rankScores, type Labels, type RankedScores, type Scores } from './ranked-scores';

/**
 * Average precision as scikit-learn's `average_precision_score`: the step-wise sum
 * AP = sum_k (R_k - R_{k-1}) P_k over the distinct thresholds, highest first, with no
 * interpolation. A group of tied scores enters at once (one threshold).
 */

/** AP with anomalous as the positive class, ranked by score (AUPR-Out). */
export function auprOutFromRanked(ranked: RankedScores): number {
  const { anomalous, normal, totalAnomalous } = ranked;
  let truePositives = 0;
  let falsePositives = 0;
  let sum = 0;
  for (let g = 0; g < anomalous.length; g++) {
    const a = anomalous[g]!;
    truePositives += a;
    falsePositives += normal[g]!;
    if (a > 0) sum += (a * truePositives) / (truePositives + falsePositives);
  }
  return sum / totalAnomalous;
}

/** AP with normal as the positive class, ranked by -score (AUPR-In): the groups lowest first. */
export function auprInFromRanked(ranked: RankedScores): number {
  const { anomalous, normal, totalNormal } = ranked;
  let truePositives = 0;
  let falsePositives = 0;
  let sum = 0;
  for (let g = anomalous.length - 1; g >= 0; g--) {
    const b = normal[g]!;
    truePositives += b;
    falsePositives += anomalous[g]!;
    if (b > 0) sum += (b * truePositives) / (truePositives + falsePositives);
  }
  return sum / totalNormal;
}

/**
 * AUPR-In: average precision with normal (label 0) as the positive class and -score as its
 * score, i.e. `average_precision_score(1 - labels, -scores)`.
 */
export function auprIn(scores: Scores, labels: Labels): number {
  return auprInFromRanked(rankScores(scores, labels, 'auprIn'));
}

/**
 * AUPR-Out: average precision with anomalous (label 1) as the positive class,
 * i.e. `average_precision_score(labels, scores)`.
 */
export function auprOut(scores: Scores, labels: Labels): number {
  return auprOutFromRanked(rankScores(scores, labels, 'auprOut'));
}
