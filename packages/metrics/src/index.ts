// @curvad/metrics: exact OOD and anomaly metrics on typed arrays (no tfjs).
// Conventions: score higher = more anomalous; label 1/true = anomalous, 0/false = normal.

export { MetricsError, type MetricsErrorCode } from './errors';
export type { Labels, Scores } from './ranked-scores';

export { auroc } from './auroc';
export { auprIn, auprOut } from './average-precision';
export { fprAtTpr, DEFAULT_TPR_LEVEL } from './fpr-at-tpr';
export { detectionError } from './detection-error';
export { evaluate, type DetectionMetrics } from './evaluate';

export { rocCurve, type RocCurve } from './roc-curve';
export { prCurve, type PrCurve, type PositiveClass } from './pr-curve';
export { downsampleCurve } from './downsample-curve';

export type { PixelData } from './pixel-data';
export { pooledPixelMetrics, perImagePixelMetrics, type PerImagePixelMetrics } from './pixel-metrics';
export { connectedComponents, type ConnectedComponents } from './connected-components';
export { aupro, proCurve, DEFAULT_PRO_FPR_LIMIT, type ProCurve } from './aupro';

export {
  mean,
  sampleStd,
  bootstrapInterval,
  summarizeTrials,
  type BootstrapOptions,
  type Interval,
  type TrialSummary,
} from './trial-statistics';
export { formatTableCell, type TableCellOptions } from './format-table-cell';
