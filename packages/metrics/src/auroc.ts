import { type Labels, type RankedScores, rankScores, type Scores } from './ranked-scores';

/**
 * AUROC from ranked scores: the probability that a random anomalous sample scores higher than a
 * random normal one, a tie counting 1/2 (Mann-Whitney U / (P N)). Counting is done in integers
 * (twice the pair count) so the result is exact up to the final division.
 */
export function aurocFromRanked(ranked: RankedScores): number {
  const { anomalous, normal, totalAnomalous, totalNormal } = ranked;
  let anomalousAbove = 0;
  let twicePairs = 0;
  for (let g = 0; g < anomalous.length; g++) {
    const a = anomalous[g]!;
    twicePairs += normal[g]! * (2 * anomalousAbove + a);
    anomalousAbove += a;
  }
  return twicePairs / (2 * totalAnomalous * totalNormal);
}

/**
 * Area under the ROC curve with anomalous (label 1) as the positive class and higher score =
 * more anomalous. Ties between an anomalous and a normal sample count 1/2, so the value equals
 * the trapezoid area under the full ROC curve (scikit-learn's `roc_auc_score`).
 * Throws `MetricsError` on bad or single-class input.
 */
export function auroc(scores: Scores, labels: Labels): number {
  return aurocFromRanked(rankScores(scores, labels, 'auroc'));
}
