import { MetricsError } from './metrics-error';
import { sortFloat64 } from './radix-sort';

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

function isAnomalous(label: number | boolean): boolean | undefined {
  if (label === 1 || label === true) return true;
  if (label === 0 || label === false) return false;
  return undefined;
}

function describe(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : `${typeof value} ${String(value)}`;
}

/** Checks lengths, finiteness and labels; returns how many samples are anomalous. */
function validate(scores: Scores, labels: Labels, what: string): number {
  const n = scores.length;
  if (labels.length !== n) {
    throw new MetricsError(
      'length-mismatch',
      `${what}: ${n} scores but ${labels.length} labels; pass one label per score, in the same order.`,
    );
  }
  if (n === 0) {
    throw new MetricsError('empty-input', `${what}: no scores were given; pass at least one anomalous and one normal sample.`);
  }
  let anomalous = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (!Number.isFinite(s)) {
      throw new MetricsError(
        'non-finite-score',
        `${what}: score at index ${i} is ${describe(s)}; scores must be finite numbers. ` +
          'Check the model output for NaN/Infinity (for 1 - tanh(z) scores, rank by z instead).',
      );
    }
    const a = isAnomalous(labels[i]!);
    if (a === undefined) {
      throw new MetricsError(
        'bad-label',
        `${what}: label at index ${i} is ${describe(labels[i])}; labels must be 1/true (anomalous) or 0/false (normal).`,
      );
    }
    if (a) anomalous++;
  }
  if (anomalous === 0 || anomalous === n) {
    const only = anomalous === 0 ? 'normal (label 0)' : 'anomalous (label 1)';
    throw new MetricsError(
      'single-class',
      `${what}: all ${n} samples are ${only}; the metric is undefined with one class. ` +
        'Evaluate on a set that holds both anomalous and normal samples.',
    );
  }
  return anomalous;
}

/**
 * Groups two ascending-sorted arrays (anomalous and normal scores) by distinct value,
 * highest first. Exposed to the pixel metrics, which split by mask themselves.
 */
export function mergeSortedClasses(anomalousScores: Float64Array, normalScores: Float64Array): RankedScores {
  let i = anomalousScores.length - 1;
  let j = normalScores.length - 1;
  const capacity = anomalousScores.length + normalScores.length;
  const values = new Float64Array(capacity);
  const anomalous = new Uint32Array(capacity);
  const normal = new Uint32Array(capacity);
  let g = 0;
  while (i >= 0 || j >= 0) {
    const a = i >= 0 ? anomalousScores[i]! : -Infinity;
    const b = j >= 0 ? normalScores[j]! : -Infinity;
    const v = a > b ? a : b;
    let countA = 0;
    while (i >= 0 && anomalousScores[i] === v) {
      countA++;
      i--;
    }
    let countN = 0;
    while (j >= 0 && normalScores[j] === v) {
      countN++;
      j--;
    }
    values[g] = v;
    anomalous[g] = countA;
    normal[g] = countN;
    g++;
  }
  return {
    values: values.subarray(0, g),
    anomalous: anomalous.subarray(0, g),
    normal: normal.subarray(0, g),
    totalAnomalous: anomalousScores.length,
    totalNormal: normalScores.length,
  };
}

/**
 * Validates `scores`/`labels` (throws `MetricsError` naming the problem) and ranks them:
 * split by class, radix-sort each class, merge into distinct-score groups. O(n log n) at worst
 * (O(n) in practice: the sort is a fixed number of linear passes).
 */
export function rankScores(scores: Scores, labels: Labels, what = 'metrics'): RankedScores {
  const totalAnomalous = validate(scores, labels, what);
  const anomalousScores = new Float64Array(totalAnomalous);
  const normalScores = new Float64Array(scores.length - totalAnomalous);
  let a = 0;
  let b = 0;
  for (let i = 0; i < scores.length; i++) {
    // `+ 0` turns -0 into +0 so the two zeros form one group.
    const s = scores[i]! + 0;
    if (isAnomalous(labels[i]!)) anomalousScores[a++] = s;
    else normalScores[b++] = s;
  }
  sortFloat64(anomalousScores);
  sortFloat64(normalScores);
  return mergeSortedClasses(anomalousScores, normalScores);
}
