import { checkArrayLike } from './array-input';
import { MetricsError } from './errors';
import { seededIntegers } from './seeded-random';

/** Bootstrap resamples by default: enough that the 2.5% / 97.5% quantiles move by < 0.1% of the spread. */
export const DEFAULT_BOOTSTRAP_RESAMPLES = 10_000;
export const DEFAULT_INTERVAL_LEVEL = 0.95;

function checkValues(values: ArrayLike<number>, what: string, minimum: number): void {
  checkArrayLike(values, 'values', what, 'trial results (numbers)');
  if (values.length < minimum) {
    throw new MetricsError(
      'empty-input',
      `${what}: got ${values.length} value(s), needs at least ${minimum}` +
        (minimum > 1 ? ' (run more trials, or report the single value without a spread).' : '.'),
    );
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      const code = typeof values[i] === 'number' ? 'non-finite-score' : 'bad-input';
      throw new MetricsError(code, `${what}: value at index ${i} is ${String(values[i])}; trial results must be finite numbers.`);
    }
  }
}

function sumOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

/** Arithmetic mean of the trial values. */
export function mean(values: ArrayLike<number>): number {
  checkValues(values, 'mean', 1);
  return sumOf(values) / values.length;
}

/** Sample standard deviation (divides by n - 1). Needs at least two values. */
export function sampleStd(values: ArrayLike<number>): number {
  checkValues(values, 'sampleStd', 2);
  const m = sumOf(values) / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - m) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/** Quantile of sorted values with linear interpolation between order statistics (numpy's default). */
function quantileOfSorted(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

export interface BootstrapOptions {
  /** PRNG seed; the same seed and values give the same interval. Default 0. */
  seed?: number;
  /** Number of resamples. Default 10 000. */
  resamples?: number;
  /** Coverage of the interval. Default 0.95. */
  level?: number;
}

export interface Interval {
  lower: number;
  upper: number;
  level: number;
}

/**
 * Percentile bootstrap interval of the mean: resample the trials with replacement `resamples`
 * times (seeded), take the (1 - level)/2 and (1 + level)/2 quantiles of the resampled means.
 * With 5 trials it is narrow and rough; it says how much the mean depends on which trials ran.
 */
export function bootstrapInterval(values: ArrayLike<number>, options: BootstrapOptions = {}): Interval {
  checkValues(values, 'bootstrapInterval', 2);
  const { seed = 0, resamples = DEFAULT_BOOTSTRAP_RESAMPLES, level = DEFAULT_INTERVAL_LEVEL } = options ?? {};
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new MetricsError('bad-parameter', `bootstrapInterval: resamples is ${resamples}; pass a positive integer such as 10000.`);
  }
  if (!(level > 0 && level < 1)) {
    throw new MetricsError('bad-parameter', `bootstrapInterval: level is ${level}; pass a fraction in (0, 1) such as 0.95.`);
  }
  if (!Number.isFinite(seed)) {
    throw new MetricsError('bad-parameter', `bootstrapInterval: seed is ${seed}; pass an integer.`);
  }
  const n = values.length;
  const draw = seededIntegers(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += values[draw(n)]!;
    means[b] = s / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return { lower: quantileOfSorted(means, tail), upper: quantileOfSorted(means, 1 - tail), level };
}

export interface TrialSummary {
  count: number;
  mean: number;
  /** Sample standard deviation; null for a single trial. */
  std: number | null;
  /** 95% (by default) percentile bootstrap interval of the mean; null for a single trial. */
  interval: Interval | null;
}

/** Mean, sample std and bootstrap interval of one metric over trials (the paper averages 5). */
export function summarizeTrials(values: ArrayLike<number>, options: BootstrapOptions = {}): TrialSummary {
  checkValues(values, 'summarizeTrials', 1);
  const single = values.length === 1;
  return {
    count: values.length,
    mean: mean(values),
    std: single ? null : sampleStd(values),
    interval: single ? null : bootstrapInterval(values, options),
  };
}
