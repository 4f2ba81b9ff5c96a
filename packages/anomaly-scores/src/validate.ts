import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';

// Input checks shared by every score. Each throws an AnomalyScoreError that names the argument,
// what was found and what to pass instead.

export function assertTensor(x: unknown, name: string): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor)) {
    throw new AnomalyScoreError(`${name} must be a tfjs Tensor, got ${describe(x)}. Wrap arrays with tf.tensor2d(...).`);
  }
  if (x.isDisposed) {
    throw new AnomalyScoreError(`${name} has already been disposed; pass a live tensor.`);
  }
}

/** A [batch, width] tensor with at least one column. */
export function assertMatrix(x: unknown, name: string, what: string): asserts x is tf.Tensor2D {
  assertTensor(x, name);
  if (x.rank !== 2) {
    throw new AnomalyScoreError(
      `${name} must be a rank-2 tensor [batch, ${what}], got rank ${x.rank} with shape [${x.shape.join(', ')}]. ` +
        `Reshape a single row with tf.expandDims(x, 0).`,
    );
  }
  if (x.shape[1]! < 1) {
    throw new AnomalyScoreError(`${name} has no ${what} (shape [${x.shape.join(', ')}]); it needs at least one column.`);
  }
}

export function assertSameRows(tensors: readonly tf.Tensor[], names: readonly string[]): void {
  const rows = tensors[0]!.shape[0];
  tensors.forEach((t, i) => {
    if (t.shape[0] !== rows) {
      throw new AnomalyScoreError(
        `${names[i]} has ${t.shape[0]} rows but ${names[0]} has ${rows}; every input must describe the same samples, one per row.`,
      );
    }
  });
}

export function assertSameColumns(a: tf.Tensor2D, b: tf.Tensor2D, nameA: string, nameB: string, what: string): void {
  if (a.shape[1] !== b.shape[1]) {
    throw new AnomalyScoreError(
      `${nameA} has ${a.shape[1]} ${what} but ${nameB} has ${b.shape[1]}; both must have the same number of ${what}.`,
    );
  }
}

/** Where a checked tensor sits in the caller's batch, and what to tell the user to check. */
export interface FiniteCheckContext {
  /** Row of the caller's input that row 0 of the checked tensor is (for chunked scoring). Default 0. */
  rowOffset?: number;
  /** The sentence that says what to do. Default: check the model output. */
  hint?: string;
  /** Accept +-Infinity and reject only NaN (e.g. a gradient, whose sign is all that is used). Default false. */
  allowInfinite?: boolean;
}

const DEFAULT_FINITE_HINT = 'Check the model output (overflow, division by zero) before scoring.';

/** Throws when any entry is NaN or infinite (NaN only with `allowInfinite`), naming the first bad row. Costs one data read. */
export function assertFinite(x: tf.Tensor, name: string, context: FiniteCheckContext = {}): void {
  if (x.size === 0) return;
  const badRows = tf.tidy(() => {
    const bad = context.allowInfinite === true ? tf.isNaN(x) : tf.logicalNot(tf.isFinite(x));
    return x.rank <= 1 ? bad : tf.any(tf.reshape(bad, [x.shape[0]!, -1]), 1);
  });
  const flags = badRows.dataSync();
  badRows.dispose();
  let first = -1;
  let count = 0;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === 0) continue;
    if (first < 0) first = i;
    count += 1;
  }
  if (first >= 0) {
    const row = first + (context.rowOffset ?? 0);
    throw new AnomalyScoreError(
      `${name} contains ${context.allowInfinite === true ? 'NaN' : 'NaN or infinite'} values (${count} bad row${count === 1 ? '' : 's'}, first at row ${row}). ` +
        (context.hint ?? DEFAULT_FINITE_HINT),
    );
  }
}

/**
 * Softmax-based scores need at least two columns: with one, the softmax is 1 for every row and
 * the score is the same constant for every input (it ranks nothing). `hint` says what to use instead.
 */
export function assertSeveralColumns(x: tf.Tensor2D, name: string, hint: string): void {
  if (x.shape[1] < 2) {
    throw new AnomalyScoreError(
      `${name} has ${x.shape[1]} column (shape [${x.shape.join(', ')}]), but a softmax over a single column is 1 for ` +
        `every row, so the score would be the same constant for every input. ${hint}`,
    );
  }
}

export function assertPositiveNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new AnomalyScoreError(`${name} must be a finite number > 0, got ${describe(value)}.`);
  }
}

export function assertNonNegativeNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new AnomalyScoreError(`${name} must be a finite number >= 0, got ${describe(value)}.`);
  }
}

export function assertPositiveInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new AnomalyScoreError(`${name} must be an integer >= 1, got ${describe(value)}.`);
  }
}

export function assertBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw new AnomalyScoreError(`${name} must be true or false, got ${describe(value)}.`);
}

export function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new AnomalyScoreError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}.`);
  }
}

/** Rejects option keys the function does not know (a misspelt option would otherwise be silently ignored). */
export function assertKnownOptions(options: object, known: readonly string[], fn: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new AnomalyScoreError(`${fn}: unknown option '${key}'. Known options: ${known.join(', ')}.`);
    }
  }
}

export function describe(value: unknown): string {
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape.join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
