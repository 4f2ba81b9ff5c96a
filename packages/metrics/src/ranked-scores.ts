import { checkArrayLike } from './array-input';
import { MetricsError } from './errors';
import { sortFloat32Valued, sortFloat64 } from './radix-sort';

/** Scores: higher = more anomalous. */
export type Scores = ArrayLike<number>;
/** Labels: 1 or true = anomalous (OOD), 0 or false = normal (in-distribution). */
export type Labels = ArrayLike<number | boolean>;

/**
 * The scores grouped by distinct value, highest first, with how many anomalous and normal
 * samples share each value. Every ranking metric of this package is a linear pass over it, so
 * `evaluate` sorts once and reads all five numbers from the same table.
 */
export interface RankedScores {
  /** Distinct scores, strictly decreasing. */
  readonly values: Float64Array;
  /** Number of anomalous samples with score `values[g]`. */
  readonly anomalous: Uint32Array;
  /** Number of normal samples with score `values[g]`. */
  readonly normal: Uint32Array;
  readonly totalAnomalous: number;
  readonly totalNormal: number;
}

function describe(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : `${typeof value} ${String(value)}`;
}

function checkLengths(scores: Scores, labels: Labels, what: string): void {
  checkArrayLike(scores, 'scores', what, 'numbers, one per sample (higher = more anomalous)');
  checkArrayLike(labels, 'labels', what, '1/true (anomalous) and 0/false (normal), one per score');
  if (labels.length !== scores.length) {
    throw new MetricsError(
      'length-mismatch',
      `${what}: ${scores.length} scores but ${labels.length} labels; pass one label per score, in the same order.`,
    );
  }
  if (scores.length === 0) {
    throw new MetricsError('empty-input', `${what}: no scores were given; pass at least one anomalous and one normal sample.`);
  }
}

function singleClassError(what: string, samples: number, anomalous: boolean): MetricsError {
  return new MetricsError(
    'single-class',
    `${what}: all ${samples} samples are ${anomalous ? 'anomalous (label 1)' : 'normal (label 0)'}; the metric is ` +
      'undefined with one class. Evaluate on a set that holds both anomalous and normal samples.',
  );
}

/**
 * Scores split by class, each with -Infinity at index 0 as a sentinel (scores are finite, so it
 * stays first when sorted and stops the merge's scans without bounds checks). Ascending once
 * `sortClasses` has run.
 */
export interface SplitScores {
  readonly anomalous: Float64Array;
  readonly normal: Float64Array;
  /** Every score is exactly a float32 value (true for Float32Array input): enables the faster 32-bit sort. */
  readonly float32Exact: boolean;
}

/**
 * Groups the two classes by distinct value, highest first. Both arrays must be ascending with the
 * -Infinity sentinel at index 0 (see `SplitScores`).
 */
export function mergeSortedClasses({ anomalous: anomalousScores, normal: normalScores }: SplitScores): RankedScores {
  let i = anomalousScores.length - 1;
  let j = normalScores.length - 1;
  const capacity = i + j;
  const values = new Float64Array(capacity);
  const anomalous = new Uint32Array(capacity);
  const normal = new Uint32Array(capacity);
  let g = 0;
  while (i > 0 || j > 0) {
    const a = anomalousScores[i]!;
    const b = normalScores[j]!;
    const v = Math.max(a, b);
    const i0 = i;
    while (anomalousScores[i] === v) i--;
    const j0 = j;
    while (normalScores[j] === v) j--;
    values[g] = v;
    anomalous[g] = i0 - i;
    normal[g] = j0 - j;
    g++;
  }
  return {
    values: values.subarray(0, g),
    anomalous: anomalous.subarray(0, g),
    normal: normal.subarray(0, g),
    totalAnomalous: anomalousScores.length - 1,
    totalNormal: normalScores.length - 1,
  };
}

/**
 * Validates and splits in one pass: anomalous scores fill one buffer from the front, normal ones
 * from the back, around a shared -Infinity sentinel (so no counting pass is needed first).
 * Throws `MetricsError` naming the first bad score or label.
 */
function splitByClass(scores: Scores, labels: Labels, what: string): SplitScores {
  checkLengths(scores, labels, what);
  const n = scores.length;
  // Layout: [-Inf, anomalous..., -Inf, normal...]: normals fill from the end, and the shared middle
  // sentinel is written once the split point is known.
  const buffer = new Float64Array(n + 2);
  let front = 1;
  let back = n + 1;
  let float32Exact = true;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (Math.fround(s) !== s) float32Exact = false;
    if (!Number.isFinite(s)) {
      if (typeof s !== 'number') {
        throw new MetricsError(
          'bad-input',
          `${what}: score at index ${i} is ${describe(s)}; scores must be numbers. Convert them first, e.g. Float64Array.from(scores, Number).`,
        );
      }
      throw new MetricsError(
        'non-finite-score',
        `${what}: score at index ${i} is ${describe(s)}; scores must be finite numbers. ` +
          'Check the model output for NaN/Infinity (for 1 - tanh(z) scores, rank by z instead).',
      );
    }
    const y = labels[i]!;
    // `+ 0` turns -0 into +0 so the two zeros form one group.
    if (y === 1 || y === true) buffer[front++] = s + 0;
    else if (y === 0 || y === false) buffer[back--] = s + 0;
    else {
      throw new MetricsError(
        'bad-label',
        `${what}: label at index ${i} is ${describe(y)}; labels must be 1/true (anomalous) or 0/false (normal).`,
      );
    }
  }
  const anomalousCount = front - 1;
  if (anomalousCount === 0 || anomalousCount === n) throw singleClassError(what, n, anomalousCount === n);
  buffer[0] = -Infinity;
  buffer[front] = -Infinity;
  return { anomalous: buffer.subarray(0, front), normal: buffer.subarray(front), float32Exact };
}

/** Sorts both classes in place (the sentinels stay at index 0). */
export function sortClasses(split: SplitScores): SplitScores {
  const sort = split.float32Exact ? sortFloat32Valued : sortFloat64;
  sort(split.anomalous);
  sort(split.normal);
  return split;
}

/**
 * Validates `scores`/`labels` (throws `MetricsError` naming the problem) and ranks them:
 * split by class, radix-sort each class, merge into distinct-score groups. A fixed number of
 * linear passes (O(n) for the radix sort, within the O(n log n) the contract asks).
 */
export function rankScores(scores: Scores, labels: Labels, what = 'metrics'): RankedScores {
  return mergeSortedClasses(sortClasses(splitByClass(scores, labels, what)));
}
