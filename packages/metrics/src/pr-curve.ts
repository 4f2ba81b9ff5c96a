import { auprInFromRanked, auprOutFromRanked } from './average-precision';
import { MetricsError } from './errors';
import { type Labels, type RankedScores, rankScores, type Scores } from './ranked-scores';

/** Which class the precision-recall curve treats as positive. */
export type PositiveClass = 'anomalous' | 'normal';

/**
 * The full precision-recall curve. Point 0 is (recall 0, precision 1), scikit-learn's end point;
 * then one point per distinct score, most confident first, recall rising to 1.
 * For `positive: 'anomalous'` a sample is flagged when score >= thresholds[i] (thresholds falling);
 * for `positive: 'normal'` it is accepted as normal when score <= thresholds[i] (thresholds rising).
 */
export interface PrCurve {
  readonly kind: 'pr';
  readonly positive: PositiveClass;
  readonly recall: Float64Array;
  readonly precision: Float64Array;
  readonly thresholds: Float64Array;
  /** Step-wise average precision of the full curve (AUPR-Out or AUPR-In); kept by `downsampleCurve`. */
  readonly averagePrecision: number;
}

export function prCurveFromRanked(ranked: RankedScores, positive: PositiveClass): PrCurve {
  const { values, anomalous, normal, totalAnomalous, totalNormal } = ranked;
  const groups = values.length;
  const points = groups + 1;
  const recall = new Float64Array(points);
  const precision = new Float64Array(points);
  const thresholds = new Float64Array(points);
  precision[0] = 1;
  const anomalousFirst = positive === 'anomalous';
  thresholds[0] = anomalousFirst ? Infinity : -Infinity;
  const totalPositive = anomalousFirst ? totalAnomalous : totalNormal;
  let truePositives = 0;
  let flagged = 0;
  for (let k = 0; k < groups; k++) {
    const g = anomalousFirst ? k : groups - 1 - k;
    const positives = anomalousFirst ? anomalous[g]! : normal[g]!;
    truePositives += positives;
    flagged += anomalous[g]! + normal[g]!;
    recall[k + 1] = truePositives / totalPositive;
    precision[k + 1] = truePositives / flagged;
    thresholds[k + 1] = values[g]!;
  }
  const averagePrecision = anomalousFirst ? auprOutFromRanked(ranked) : auprInFromRanked(ranked);
  return { kind: 'pr', positive, recall, precision, thresholds, averagePrecision };
}

/**
 * Precision-recall curve with every distinct score as a threshold. `positive: 'anomalous'`
 * (default) is the AUPR-Out curve, `'normal'` the AUPR-In curve (ranked by -score).
 */
export function prCurve(scores: Scores, labels: Labels, options: { positive?: PositiveClass } = {}): PrCurve {
  const positive = options?.positive ?? 'anomalous';
  if (positive !== 'anomalous' && positive !== 'normal') {
    throw new MetricsError('bad-parameter', `prCurve: positive is ${String(positive)}; use 'anomalous' or 'normal'.`);
  }
  return prCurveFromRanked(rankScores(scores, labels, 'prCurve'), positive);
}
