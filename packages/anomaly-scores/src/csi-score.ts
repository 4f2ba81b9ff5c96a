// CSI's detection score (Tack et al., "CSI: Novelty Detection via Contrastive Learning on
// Distributionally Shifted Instances", NeurIPS 2020, Sec. 2.3), for the rotation shifts s:
//   s_con(x)  = sum_s lambda_s^con * max_m cos(z(x_s), z(x_m,s)) * ||z(x_s)||
//   s_shi(x)  = sum_s lambda_s^shi * W_s f(x_s)            (the shift classifier's logit of s on x_s)
//   s_CSI(x)  = s_con(x) + s_shi(x),  larger = MORE NORMAL,
// the max running over the training features of the same rotation. Balancing (the paper's
// lambda_s^con = M / sum_m s_con(x_m,s; {x_m,s}), lambda_s^shi = M / sum_m W_s f(x_m,s)):
// - 'leave-one-out' (default): each training feature's nearest neighbour excludes itself. Including
//   itself the max cosine is 1 and the sum is just the mean norm, which is what
// - 'released' does: the authors' code (alinlab/CSI, evals/ood_pre.py) uses 1 / mean ||z(x_m,s)||.
// - 'none': every lambda is 1.
// The released code also divides the total by the number of shifts (no effect on a ranking; not
// done here) and averages each feature over several random augmentations of the input (the
// caller's choice: pass the averaged features).
//
// This package's convention is higher = more anomalous, so the default output is -s_CSI;
// `output: 'z'` gives s_CSI itself (larger = normal), as the geometric scores' 'z'.
import * as tf from '@tensorflow/tfjs-core';
import { maxCosineSimilarity, normalizedBlocks, normalizeRows } from './cosine-neighbours';
import { AnomalyScoreError } from './errors';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type OutputOptions, type ScoreOutput, scoreRows } from './output';
import { ROTATIONS } from './rotate-images';
import { assertBoolean, assertFinite, assertKnownOptions, assertMatrix, assertOneOf, assertPositiveInteger, describe } from './validate';

/** How the per-rotation scores are weighted before they are summed (see the file comment). */
export type CsiBalancing = 'leave-one-out' | 'released' | 'none';
const BALANCINGS: readonly CsiBalancing[] = ['leave-one-out', 'released', 'none'];

/** What a CSI score returns: 'anomaly' = -s_CSI (higher = more anomalous, default); 'z' = s_CSI (higher = normal). */
export type CsiOutput = 'anomaly' | 'z';
const CSI_OUTPUTS: readonly CsiOutput[] = ['anomaly', 'z'];

/** The model outputs CSI reads, one entry per rotation in the order of the `rotations` option. */
export interface CsiFeatures {
  /** Entry i: [rows, d] contrastive features z (CSI's projection head output) of the images turned by rotations[i]. */
  features: readonly tf.Tensor[];
  /** Entry i: [rows, 4] rotation (shift) classifier logits of the images turned by rotations[i]; needed with `shiftTerm`. */
  shiftLogits?: readonly tf.Tensor[];
}

export interface CsiFitOptions {
  /** The rotations (quarter turns 0..3) ensembled; entry i of every feature list belongs to rotations[i]. Default [0, 1, 2, 3]. */
  rotations?: readonly number[];
  /** Weights of the per-rotation scores. Default 'leave-one-out'. */
  balancing?: CsiBalancing;
  /** Add the shift classifier term s_shi (CSI's full score). Default true; false gives s_con only. */
  shiftTerm?: boolean;
  /** Training rows per similarity block. Default 8192 (a 1024-row test chunk then holds 32 MB of similarities). */
  trainBlockSize?: number;
}

export interface CsiScoreOptions extends OutputOptions {
  /** 'anomaly' (default, -s_CSI) or 'z' (s_CSI). */
  output?: CsiOutput;
}

/** CSI fitted on training features; holds them as tensors: call `dispose()` when done. */
export interface CsiDetector {
  readonly rotations: readonly number[];
  /** Training samples (per rotation). */
  readonly size: number;
  readonly dim: number;
  /** lambda_s^con per rotation (1 without balancing). */
  readonly contrastiveWeights: readonly number[];
  /** lambda_s^shi per rotation; undefined without the shift term. */
  readonly shiftWeights: readonly number[] | undefined;
  /** One score per test sample (-s_CSI by default). `test` holds the same rotations, features of width `dim`. */
  score<O extends CsiScoreOptions = CsiScoreOptions & { asTensor?: false }>(test: CsiFeatures, options?: O): ScoreOutput<O>;
  dispose(): void;
}

const DEFAULT_ROTATIONS: readonly number[] = [0, 1, 2, 3];
const CSI_DEFAULT_TRAIN_BLOCK = 8192;
/** Test (and training, for the balancing) rows per chunk. */
const CSI_DEFAULT_BATCH_ROWS = 1024;

function checkRotations(rotations: unknown, fn: string): readonly number[] {
  if (!Array.isArray(rotations) || rotations.length === 0) {
    throw new AnomalyScoreError(`${fn}: rotations must be a non-empty array of quarter turns 0..3, got ${describe(rotations)}.`);
  }
  const seen = new Set<number>();
  for (const r of rotations) {
    if (!Number.isInteger(r) || r < 0 || r >= ROTATIONS || seen.has(r)) {
      throw new AnomalyScoreError(`${fn}: rotations holds ${String(r)}; give distinct quarter turns among 0, 1, 2, 3 (e.g. [0, 1, 2, 3]).`);
    }
    seen.add(r);
  }
  return [...rotations];
}

/** The fit options with their defaults, checked (also used by the 'csi' detector before it runs the model). */
export function resolveCsiFitOptions(options: CsiFitOptions, fn: string): Required<CsiFitOptions> {
  if (typeof options !== 'object' || options === null)
    throw new AnomalyScoreError(`${fn}: options must be an object, got ${String(options)}.`);
  assertKnownOptions(options, ['rotations', 'balancing', 'shiftTerm', 'trainBlockSize'], fn);
  const rotations = checkRotations(options.rotations ?? DEFAULT_ROTATIONS, fn);
  const balancing = options.balancing ?? 'leave-one-out';
  assertOneOf(balancing, BALANCINGS, `${fn}: balancing`);
  const shiftTerm = options.shiftTerm ?? true;
  assertBoolean(shiftTerm, `${fn}: shiftTerm`);
  const trainBlockSize = options.trainBlockSize ?? CSI_DEFAULT_TRAIN_BLOCK;
  assertPositiveInteger(trainBlockSize, `${fn}: trainBlockSize`);
  return { rotations, balancing, shiftTerm, trainBlockSize };
}

/** Checks one side's features (and shift logits); returns [rows, dim]. */
function checkCsiFeatures(input: CsiFeatures, rotations: readonly number[], shiftTerm: boolean, name: string): [number, number] {
  if (typeof input !== 'object' || input === null || !Array.isArray(input.features)) {
    throw new AnomalyScoreError(`${name} must be { features: Tensor[], shiftLogits?: Tensor[] }, got ${describe(input)}.`);
  }
  const lists: [string, readonly tf.Tensor[] | undefined][] = [['features', input.features]];
  if (shiftTerm) {
    if (input.shiftLogits === undefined) {
      throw new AnomalyScoreError(
        `${name}.shiftLogits is missing: the shift classifier term needs the rotation logits of every rotation; pass them or set shiftTerm: false (contrastive score only).`,
      );
    }
    lists.push(['shiftLogits', input.shiftLogits]);
  }
  let rows = -1;
  let dim = -1;
  for (const [key, list] of lists) {
    if (!Array.isArray(list) || list.length !== rotations.length) {
      throw new AnomalyScoreError(
        `${name}.${key} must hold ${rotations.length} tensors, one per rotation [${rotations.join(', ')}], got ${describe(list)}.`,
      );
    }
    for (const [i, t] of list.entries()) {
      const what = `${name}.${key}[${i}] (rotation ${rotations[i]})`;
      assertMatrix(t, what, key === 'features' ? 'dim' : 'rotations');
      if (rows < 0) rows = t.shape[0];
      if (t.shape[0] !== rows) {
        throw new AnomalyScoreError(
          `${what} has ${t.shape[0]} rows but ${name}.features[0] has ${rows}; every rotation must hold the same images, one per row.`,
        );
      }
      if (key === 'features') {
        if (dim < 0) dim = t.shape[1];
        if (t.shape[1] !== dim) throw new AnomalyScoreError(`${what} has ${t.shape[1]} columns but ${name}.features[0] has ${dim}.`);
      } else if (t.shape[1] !== ROTATIONS) {
        throw new AnomalyScoreError(
          `${what} must be [rows, 4] rotation logits, got [${t.shape.join(', ')}]; pass the shift classifier's logits.`,
        );
      }
      assertFinite(t, what);
    }
  }
  return [rows, dim];
}

/** 1 / mean of `values` (a [rows] tensor), with an error when the mean is not positive. */
function inverseMean(values: Float64Array, what: string, fix: string): number {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  if (!(mean > 0) || !Number.isFinite(mean)) {
    throw new AnomalyScoreError(
      `fitCsi: the mean ${what} over the training samples is ${mean}; balancing divides by it, so it must be > 0. ${fix}`,
    );
  }
  return 1 / mean;
}

/** Reads a [rows] float tensor computed chunk by chunk into float64. */
function readRows(rows: number, chunk: number, compute: (start: number, size: number) => tf.Tensor): Float64Array {
  const out = new Float64Array(rows);
  for (let start = 0; start < rows; start += chunk) {
    const size = Math.min(chunk, rows - start);
    const t = tf.tidy(() => compute(start, size));
    out.set(t.dataSync(), start);
    t.dispose();
  }
  return out;
}

/**
 * Fits CSI's score on the training (normal) samples' features under each rotation: stores the
 * normalised features in blocks and computes the balancing weights. Scoring finds each test
 * feature's most similar training feature of the same rotation by blocked matMul and a running
 * max (no full similarity matrix, no sort).
 *
 * @param train the training samples' features (and shift logits), one entry per rotation.
 * @param options `rotations` ([0, 1, 2, 3]), `balancing` ('leave-one-out'), `shiftTerm` (true), `trainBlockSize` (8192).
 */
export function fitCsi(train: CsiFeatures, options: CsiFitOptions = {}): CsiDetector {
  const fn = 'fitCsi';
  const { rotations, balancing, shiftTerm, trainBlockSize: blockSize } = resolveCsiFitOptions(options, fn);
  const [size, dim] = checkCsiFeatures(train, rotations, shiftTerm, `${fn}: train`);
  const minRows = balancing === 'leave-one-out' ? 2 : 1;
  if (size < minRows) {
    throw new AnomalyScoreError(
      `${fn}: ${size} training samples; CSI needs at least ${minRows}${minRows === 2 ? " (leave-one-out balancing compares each with the others; or use balancing: 'none')" : ''}.`,
    );
  }

  const blocks = rotations.map((_, i) => normalizedBlocks(train.features[i] as tf.Tensor2D, blockSize));
  try {
    const contrastiveWeights = rotations.map((r, i) => {
      if (balancing === 'none') return 1;
      const f = train.features[i] as tf.Tensor2D;
      const scores = readRows(size, CSI_DEFAULT_BATCH_ROWS, (start, rows) => {
        const chunk = tf.slice(f, [start, 0], [rows, dim]);
        const norm = tf.norm(chunk, 'euclidean', 1);
        if (balancing === 'released') return norm;
        return tf.mul(maxCosineSimilarity(normalizeRows(chunk), blocks[i]!, start), norm);
      });
      return inverseMean(
        scores,
        `contrastive score of rotation ${r} (${balancing === 'released' ? 'feature norm' : 'nearest other training feature'})`,
        "Check the features (all zero? a collapsed projection head?), or use balancing: 'none'.",
      );
    });
    const shiftWeights = !shiftTerm
      ? undefined
      : rotations.map((r, i) => {
          if (balancing === 'none') return 1;
          const logits = train.shiftLogits![i] as tf.Tensor2D;
          const trueLogit = readRows(size, size, () => tf.squeeze(tf.slice(logits, [0, r], [size, 1]), [1]));
          return inverseMean(
            trueLogit,
            `shift classifier logit of the true rotation ${r}`,
            "Train the rotation classifier further (its logit of the applied rotation should be large on normal data), or use balancing: 'none' or shiftTerm: false.",
          );
        });
    return csiDetector(rotations, size, dim, blocks, contrastiveWeights, shiftWeights);
  } catch (error) {
    for (const b of blocks) tf.dispose(b);
    throw error;
  }
}

function csiDetector(
  rotations: readonly number[],
  size: number,
  dim: number,
  blocks: tf.Tensor2D[][],
  contrastiveWeights: readonly number[],
  shiftWeights: readonly number[] | undefined,
): CsiDetector {
  let disposed = false;
  return {
    rotations,
    size,
    dim,
    contrastiveWeights,
    shiftWeights,
    score<O extends CsiScoreOptions = CsiScoreOptions & { asTensor?: false }>(test: CsiFeatures, options: O = {} as O): ScoreOutput<O> {
      const name = 'CsiDetector.score';
      if (disposed) throw new AnomalyScoreError(`${name}: the detector was disposed; fit a new one.`);
      checkOutputOptions(options, [...OUTPUT_OPTION_KEYS, 'output'], name);
      const output = options.output ?? 'anomaly';
      assertOneOf(output, CSI_OUTPUTS, `${name}: output`);
      const [, testDim] = checkCsiFeatures(test, rotations, shiftWeights !== undefined, `${name}: test`);
      if (testDim !== dim)
        throw new AnomalyScoreError(`${name}: test features have ${testDim} columns but the detector was fitted on ${dim}.`);
      const k = rotations.length;
      const inputs = [...test.features, ...(shiftWeights === undefined ? [] : test.shiftLogits!)];
      const sign = output === 'anomaly' ? -1 : 1;
      return scoreRows(
        inputs,
        (chunks) => {
          const terms = rotations.map((r, i) => {
            const z = chunks[i] as tf.Tensor2D;
            const con = tf.mul(
              tf.mul(maxCosineSimilarity(normalizeRows(z), blocks[i]!), tf.norm(z, 'euclidean', 1)),
              contrastiveWeights[i]!,
            );
            if (shiftWeights === undefined) return con;
            const trueLogit = tf.squeeze(tf.slice(chunks[k + i] as tf.Tensor2D, [0, r], [-1, 1]), [1]);
            return tf.add(con, tf.mul(trueLogit, shiftWeights[i]!));
          });
          return tf.mul(tf.addN(terms), sign);
        },
        options,
        CSI_DEFAULT_BATCH_ROWS,
      );
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const b of blocks) tf.dispose(b);
    },
  };
}

/**
 * CSI's score of `test` against the training features `train` in one call (fit, score, dispose):
 * -s_CSI by default (higher = more anomalous), s_CSI with `output: 'z'`. Fit once with `fitCsi`
 * to score several batches.
 */
export function csiScore<O extends CsiFitOptions & CsiScoreOptions = CsiFitOptions & CsiScoreOptions & { asTensor?: false }>(
  test: CsiFeatures,
  train: CsiFeatures,
  options: O = {} as O,
): ScoreOutput<O> {
  if (typeof options !== 'object' || options === null)
    throw new AnomalyScoreError(`csiScore: options must be an object, got ${String(options)}.`);
  const { rotations, balancing, shiftTerm, trainBlockSize, ...scoreOptions } = options;
  const fitOptions = Object.fromEntries(
    Object.entries({ rotations, balancing, shiftTerm, trainBlockSize }).filter(([, v]) => v !== undefined),
  ) as CsiFitOptions;
  const detector = fitCsi(train, fitOptions);
  try {
    return detector.score(test, scoreOptions as CsiScoreOptions) as ScoreOutput<O>;
  } finally {
    detector.dispose();
  }
}
