import { type Labels, type RankedScores, rankScores, type Scores } from './ranked-scores';

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

/**
 * AP with normal as the positive class, ranked by -score (AUPR-In). The threshold steps are the
 * groups lowest first; the sum runs over them highest first (the same terms: at group g the
 * accepted samples are those not strictly above it), so `evaluate`'s single pass adds them in the
 * same order and gets the identical number.
 */
export function auprInFromRanked(ranked: RankedScores): number {
  const { anomalous, normal, totalAnomalous, totalNormal } = ranked;
  let normalAbove = 0;
  let anomalousAbove = 0;
  let sum = 0;
  for (let g = 0; g < anomalous.length; g++) {
    const b = normal[g]!;
    const acceptedNormal = totalNormal - normalAbove;
    const acceptedAnomalous = totalAnomalous - anomalousAbove;
    if (b > 0) sum += (b * acceptedNormal) / (acceptedNormal + acceptedAnomalous);
    normalAbove += b;
    anomalousAbove += anomalous[g]!;
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
