// FPR at 95% TPR as the StreetHazards evaluation (hendrycks/anomaly-seg, anom_utils.py
// `fpr_and_fdr_at_recall`, which the paper's Table VII uses) computes it: the ANOMALOUS samples are
// the positive class, and the threshold is the distinct score whose recall of anomalies is NEAREST
// to the level (it may lie below it), not the strictest one reaching it. `fprAtTpr` is the other
// convention (normal positive, ODIN's and the paper's OOD tables); the two differ, often by a lot.
import { checkTprLevel } from './fpr-at-tpr';
import { type Labels, type RankedScores, rankScores, type Scores } from './ranked-scores';

/** `fprAtAnomalyRecall` on scores already grouped by `rankScores`. */
export function fprAtAnomalyRecallFromRanked(ranked: RankedScores, recall: number): number {
  const { anomalous, normal, totalAnomalous, totalNormal } = ranked;
  let flaggedAnomalous = 0;
  let flaggedNormal = 0;
  let best = 1;
  let bestDistance = Number.POSITIVE_INFINITY;
  // Highest score first: flagging every sample with score >= values[g]. The released code scans the
  // thresholds from the loosest (all anomalies caught) back and keeps the first minimum, so on a tie
  // the looser threshold wins: `<=` here, where the scan runs the other way.
  for (let g = 0; g < anomalous.length; g++) {
    flaggedAnomalous += anomalous[g]!;
    flaggedNormal += normal[g]!;
    const distance = Math.abs(flaggedAnomalous / totalAnomalous - recall);
    if (distance <= bestDistance) {
      bestDistance = distance;
      best = flaggedNormal / totalNormal;
    }
    if (flaggedAnomalous === totalAnomalous) break;
  }
  return best;
}

/**
 * Fraction of normal samples (label 0) flagged as anomalous (score >= t) at the threshold t whose
 * recall of the anomalous samples (label 1) is nearest to `recall` (default 0.95; ties go to the
 * looser threshold; thresholds past the one that catches every anomaly are not considered), exactly
 * as the StreetHazards evaluation code. Anomalous is the positive class here, unlike `fprAtTpr`.
 */
export function fprAtAnomalyRecall(scores: Scores, labels: Labels, recall = 0.95): number {
  checkTprLevel(recall);
  return fprAtAnomalyRecallFromRanked(rankScores(scores, labels, 'fprAtAnomalyRecall'), recall);
}
