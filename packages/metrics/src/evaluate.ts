import { DEFAULT_TPR_LEVEL } from './fpr-at-tpr';
import { type Labels, type RankedScores, rankScores, type Scores } from './ranked-scores';

/** The five numbers of the paper's OOD tables, as fractions in [0, 1]. */
export interface DetectionMetrics {
  auroc: number;
  auprIn: number;
  auprOut: number;
  /** FPR at 95% TPR, normal positive (see `fprAtTpr`). */
  fpr95: number;
  detectionError: number;
}

/**
 * The five metrics in one pass over the groups, highest score first. Each accumulator does the
 * same arithmetic in the same order as its single-metric function (`aurocFromRanked`,
 * `auprInFromRanked`, ...), so the results are identical, not merely close; the tests check that.
 * At group g, "accepted as normal" (score <= g's value) = total minus the samples strictly above.
 */
export function evaluateRanked(ranked: RankedScores): DetectionMetrics {
  const { anomalous, normal, totalAnomalous, totalNormal } = ranked;
  let anomalousAbove = 0;
  let normalAbove = 0;
  let twicePairs = 0;
  let sumOut = 0;
  let sumIn = 0;
  let fpr95 = 1;
  let detectionError = 0.5;
  for (let g = 0; g < anomalous.length; g++) {
    const a = anomalous[g]!;
    const b = normal[g]!;
    twicePairs += b * (2 * anomalousAbove + a);
    const acceptedNormal = totalNormal - normalAbove;
    const acceptedAnomalous = totalAnomalous - anomalousAbove;
    if (b > 0) sumIn += (b * acceptedNormal) / (acceptedNormal + acceptedAnomalous);
    // Descending, so the last threshold that still meets the level is the strictest one.
    if (acceptedNormal / totalNormal >= DEFAULT_TPR_LEVEL) fpr95 = acceptedAnomalous / totalAnomalous;
    const error = 0.5 * (1 - acceptedNormal / totalNormal) + 0.5 * (acceptedAnomalous / totalAnomalous);
    if (error < detectionError) detectionError = error;
    anomalousAbove += a;
    normalAbove += b;
    if (a > 0) sumOut += (a * anomalousAbove) / (anomalousAbove + normalAbove);
  }
  return {
    auroc: twicePairs / (2 * totalAnomalous * totalNormal),
    auprIn: sumIn / totalNormal,
    auprOut: sumOut / totalAnomalous,
    fpr95,
    detectionError,
  };
}

/**
 * All five metrics at once: validates and sorts once, then computes all five in one linear pass over
 * the distinct-score groups, so it costs about as much as one single-metric function.
 */
export function evaluate(scores: Scores, labels: Labels): DetectionMetrics {
  return evaluateRanked(rankScores(scores, labels, 'evaluate'));
}
