import { aurocFromRanked } from './auroc';
import { type Labels, type RankedScores, rankScores, type Scores } from './ranked-scores';

/**
 * The full ROC curve, anomalous positive: point i says "flag as anomalous when score >= thresholds[i]".
 * Point 0 is (0, 0) with threshold +Infinity; then one point per distinct score, highest first,
 * ending at (1, 1). Ties give diagonal segments, so the trapezoid area equals `auroc`.
 */
export interface RocCurve {
  readonly kind: 'roc';
  readonly fpr: Float64Array;
  readonly tpr: Float64Array;
  readonly thresholds: Float64Array;
  /** AUROC of the full curve (kept as is by `downsampleCurve`). */
  readonly auroc: number;
}

export function rocCurveFromRanked(ranked: RankedScores): RocCurve {
  const { values, anomalous, normal, totalAnomalous, totalNormal } = ranked;
  const points = values.length + 1;
  const fpr = new Float64Array(points);
  const tpr = new Float64Array(points);
  const thresholds = new Float64Array(points);
  thresholds[0] = Infinity;
  let truePositives = 0;
  let falsePositives = 0;
  for (let g = 0; g < values.length; g++) {
    truePositives += anomalous[g]!;
    falsePositives += normal[g]!;
    fpr[g + 1] = falsePositives / totalNormal;
    tpr[g + 1] = truePositives / totalAnomalous;
    thresholds[g + 1] = values[g]!;
  }
  return { kind: 'roc', fpr, tpr, thresholds, auroc: aurocFromRanked(ranked) };
}

/** ROC curve with every distinct score as a threshold (no points dropped), for plots. */
export function rocCurve(scores: Scores, labels: Labels): RocCurve {
  return rocCurveFromRanked(rankScores(scores, labels, 'rocCurve'));
}
