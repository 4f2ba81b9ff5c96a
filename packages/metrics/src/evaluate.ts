import { aurocFromRanked } from './auroc';
import { auprInFromRanked, auprOutFromRanked } from './average-precision';
import { detectionErrorFromRanked } from './detection-error';
import { DEFAULT_TPR_LEVEL, fprAtTprFromRanked } from './fpr-at-tpr';
import { rankScores, type Labels, type RankedScores, type Scores } from './ranked-scores';

/** The five numbers of the paper's OOD tables, as fractions in [0, 1]. */
export interface DetectionMetrics {
  auroc: number;
  auprIn: number;
  auprOut: number;
  /** FPR at 95% TPR, normal positive (see `fprAtTpr`). */
  fpr95: number;
  detectionError: number;
}

export function evaluateRanked(ranked: RankedScores): DetectionMetrics {
  return {
    auroc: aurocFromRanked(ranked),
    auprIn: auprInFromRanked(ranked),
    auprOut: auprOutFromRanked(ranked),
    fpr95: fprAtTprFromRanked(ranked, DEFAULT_TPR_LEVEL),
    detectionError: detectionErrorFromRanked(ranked),
  };
}

/**
 * All five metrics at once. Sorts once (the validation, the split by class and the radix sort
 * happen a single time), then reads each metric in one linear pass over the distinct-score groups,
 * so it costs about as much as one of the single-metric functions.
 */
export function evaluate(scores: Scores, labels: Labels): DetectionMetrics {
  return evaluateRanked(rankScores(scores, labels, 'evaluate'));
}
