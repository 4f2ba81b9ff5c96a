import { MetricsError } from './errors';
import { summarizeTrials } from './trial-statistics';

export interface TableCellOptions {
  /** Multiply fractions by 100 (the paper's tables print percentages). Default true. */
  percent?: boolean;
  /** Digits after the decimal point. Default 1. */
  digits?: number;
  /** Between the mean and the std. Default ' +- ' (pass ' ± ' for typeset tables). */
  separator?: string;
}

/**
 * A table cell like the paper's: "94.8 +- 0.3" from trial values given as fractions (mean and
 * sample std, as percentages with one decimal by default). One trial prints the value alone.
 * Also accepts an already computed `{ mean, std }`.
 */
export function formatTableCell(trials: ArrayLike<number> | { mean: number; std: number | null }, options: TableCellOptions = {}): string {
  const { percent = true, digits = 1, separator = ' +- ' } = options ?? {};
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new MetricsError('bad-parameter', `formatTableCell: digits is ${digits}; pass an integer in [0, 20].`);
  }
  // Anything but a { mean, std } object goes to summarizeTrials, whose checks name the problem
  // (null, a tensor, a string); `'length' in null` would be a bare TypeError.
  const isSummary = typeof trials === 'object' && trials !== null && 'mean' in trials && !('length' in trials);
  const summary = isSummary ? trials : summarizeTrials(trials as ArrayLike<number>);
  if (!Number.isFinite(summary.mean) || (summary.std !== null && !Number.isFinite(summary.std))) {
    throw new MetricsError('non-finite-score', `formatTableCell: mean ${summary.mean} / std ${summary.std} must be finite.`);
  }
  const scale = percent ? 100 : 1;
  const center = (summary.mean * scale).toFixed(digits);
  return summary.std === null ? center : `${center}${separator}${(summary.std * scale).toFixed(digits)}`;
}
