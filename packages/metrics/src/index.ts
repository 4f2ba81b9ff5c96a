// @curvad/metrics: exact OOD and anomaly metrics on typed arrays (no tfjs).
// Conventions: score higher = more anomalous; label 1/true = anomalous, 0/false = normal.

export { aupro, DEFAULT_PRO_FPR_LIMIT, type ProCurve, proCurve } from './aupro';
export { auroc } from './auroc';
export { auprIn, auprOut } from './average-precision';
export { type ConnectedComponents, connectedComponents } from './connected-components';
export { detectionError } from './detection-error';
export { downsampleCurve } from './downsample-curve';
export { MetricsError, type MetricsErrorCode } from './errors';
export { type DetectionMetrics, evaluate } from './evaluate';
export { formatTableCell, type TableCellOptions } from './format-table-cell';
export { fprAtAnomalyRecall } from './fpr-at-anomaly-recall';
export { DEFAULT_TPR_LEVEL, fprAtTpr } from './fpr-at-tpr';
export { type MeanIou, type MeanIouOptions, meanIou } from './mean-iou';

export type { PixelData } from './pixel-data';
export { type PerImagePixelMetrics, perImagePixelMetrics, pooledPixelMetrics } from './pixel-metrics';
export { type PositiveClass, type PrCurve, prCurve } from './pr-curve';
export type { Labels, Scores } from './ranked-scores';
export { type RocCurve, rocCurve } from './roc-curve';
export {
  type BootstrapOptions,
  bootstrapInterval,
  type Interval,
  mean,
  sampleStd,
  summarizeTrials,
  type TrialSummary,
} from './trial-statistics';
