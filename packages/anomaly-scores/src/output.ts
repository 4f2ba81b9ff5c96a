import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';
import { assertBoolean, assertKnownOptions, assertPositiveInteger } from './validate';

/** How a score is returned and how much of the input is processed at once. */
export interface OutputOptions {
  /** Return a [batch] float32 tensor (the caller disposes it) instead of a Float32Array. Default false. */
  asTensor?: boolean;
  /** Rows per chunk; bounds the memory of large inputs. Default differs per score (see its docs). */
  batchSize?: number;
}

/** The type of `asTensor` in an options type O (undefined when O has no such key). */
type AsTensorFlag<O> = 'asTensor' extends keyof O ? O[Extract<'asTensor', keyof O>] : undefined;

/**
 * A Float32Array, or a [batch] tensor when the options say `asTensor: true`; when the flag is a
 * plain `boolean` (not known at compile time) the type is the union.
 */
export type ScoreOutput<O> = [AsTensorFlag<O>] extends [true]
  ? tf.Tensor1D
  : [AsTensorFlag<O>] extends [false | undefined]
    ? Float32Array
    : Float32Array | tf.Tensor1D;

/** Default rows per chunk for the cheap per-row scores: 8192 rows of 1000 classes is 32 MB of float32. */
export const DEFAULT_BATCH_ROWS = 8192;

export const OUTPUT_OPTION_KEYS = ['asTensor', 'batchSize'] as const;

export function checkOutputOptions(options: OutputOptions, known: readonly string[], fn: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new AnomalyScoreError(`${fn}: options must be an object, got ${String(options)}.`);
  }
  assertKnownOptions(options, known, fn);
  if (options.batchSize !== undefined) assertPositiveInteger(options.batchSize, `${fn}: batchSize`);
  if (options.asTensor !== undefined) assertBoolean(options.asTensor, `${fn}: asTensor`);
}

function sliceRows(x: tf.Tensor, start: number, size: number): tf.Tensor {
  const begin = x.shape.map((_, axis) => (axis === 0 ? start : 0));
  const sizes = x.shape.map((d, axis) => (axis === 0 ? size : d));
  return tf.slice(x, begin, sizes);
}

/**
 * Runs `perChunk` over row chunks of `inputs` (all with the same number of rows, sliced along
 * axis 0) and gathers the per-row results. Every intermediate tensor is released; the inputs
 * are left alone. `perChunk` gets the chunks and the index of their first row in the inputs
 * (for error messages) and must return a [rows] tensor.
 */
export function scoreRows<O extends OutputOptions = OutputOptions & { asTensor?: false }>(
  inputs: readonly tf.Tensor[],
  perChunk: (chunks: tf.Tensor[], start: number) => tf.Tensor,
  options: O,
  defaultBatch: number = DEFAULT_BATCH_ROWS,
): ScoreOutput<O> {
  const rows = inputs[0]!.shape[0] ?? 0;
  const batch = options.batchSize ?? defaultBatch;
  const run = (start: number, size: number): tf.Tensor1D =>
    tf.tidy(() => {
      const chunks = size === rows ? [...inputs] : inputs.map((x) => sliceRows(x, start, size));
      return tf.reshape(tf.cast(perChunk(chunks, start), 'float32'), [size]) as tf.Tensor1D;
    });

  if (options.asTensor === true) {
    if (rows === 0) return tf.zeros([0], 'float32') as ScoreOutput<O>;
    const pieces: tf.Tensor1D[] = [];
    for (let start = 0; start < rows; start += batch) pieces.push(run(start, Math.min(batch, rows - start)));
    if (pieces.length === 1) return pieces[0] as ScoreOutput<O>;
    const joined = tf.concat(pieces);
    for (const p of pieces) p.dispose();
    return joined as ScoreOutput<O>;
  }
  const out = new Float32Array(rows);
  for (let start = 0; start < rows; start += batch) {
    const piece = run(start, Math.min(batch, rows - start));
    out.set(piece.dataSync(), start);
    piece.dispose();
  }
  return out as ScoreOutput<O>;
}
