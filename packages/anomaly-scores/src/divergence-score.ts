// Eq. 12 of the paper: z_EG = KL(p_E || p_G) = sum_i p_E,i log(p_E,i / p_G,i), the divergence
// between the Euclidean and the geometric branch of a GiT model (SiT, HiT).
//
// The text and the released code (github.com/JHome1/GiO-GiT, one-class RotNet) disagree twice,
// and both readings are offered as named options:
// - input: the text takes p = softmax of the EMBEDDINGS e_E and e_G = GT(e_E); the code takes
//   the softmax OUTPUTS of the Euclidean and the geometric classifier. Default 'logits' (the code).
// - direction: the text writes AS = 1 - tanh(z_EG) (a large divergence is normal); the code ranks
//   a large divergence as anomalous with AS = tanh(z_EG). Its comment reads "embedding: 1-score;
//   logit: score", so the default follows the input: 'larger-is-anomalous' for 'logits',
//   'larger-is-normal' for 'embedding'. Which works is an experimental question (apps/experiments).
import type * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';
import { GEOMETRIC_OUTPUTS, type LargerZMeans, orientGeometricScore } from './geometric-output';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type ScoreOutput, scoreRows } from './output';
import { softmaxKlDivergence } from './softmax-divergence';
import type { GeometricScoreOptions } from './spherical-score';
import { assertFinite, assertMatrix, assertOneOf, assertSameColumns, assertSameRows, assertSeveralColumns } from './validate';

/** What the two softmaxes of Eq. 12 are taken of. */
export type DivergenceInput = 'logits' | 'embedding';

/**
 * Which end of z_EG is anomalous.
 * - `'larger-is-anomalous'`: AS = tanh(z_EG) (the released code; default for `input: 'logits'`).
 * - `'larger-is-normal'`: AS = 1 - tanh(z_EG) (the paper's text; default for `input: 'embedding'`).
 */
export type DivergenceDirection = 'larger-is-anomalous' | 'larger-is-normal';

export const DIVERGENCE_INPUTS: readonly DivergenceInput[] = ['logits', 'embedding'];
export const DIVERGENCE_DIRECTIONS: readonly DivergenceDirection[] = ['larger-is-anomalous', 'larger-is-normal'];

export interface DivergenceScoreOptions extends GeometricScoreOptions {
  /** `'logits'` (default, the released code) or `'embedding'` (the paper's text). */
  input?: DivergenceInput;
  /** Defaults to `'larger-is-anomalous'` for logits and `'larger-is-normal'` for embeddings. */
  direction?: DivergenceDirection;
}

export interface ResolvedDivergence {
  input: DivergenceInput;
  direction: DivergenceDirection;
  largerZMeans: LargerZMeans;
}

export function resolveDivergenceOptions(options: DivergenceScoreOptions, fn: string): ResolvedDivergence {
  const input = options.input ?? 'logits';
  assertOneOf(input, DIVERGENCE_INPUTS, `${fn}: input`);
  const direction = options.direction ?? (input === 'logits' ? 'larger-is-anomalous' : 'larger-is-normal');
  assertOneOf(direction, DIVERGENCE_DIRECTIONS, `${fn}: direction`);
  assertOneOf(options.output ?? 'anomaly', GEOMETRIC_OUTPUTS, `${fn}: output`);
  return { input, direction, largerZMeans: direction === 'larger-is-anomalous' ? 'anomalous' : 'normal' };
}

export function checkBranchPair(euclidean: unknown, geometric: unknown, input: DivergenceInput, fn: string, geometricName: string): void {
  const what = input === 'logits' ? 'classes' : 'dim';
  assertMatrix(euclidean, `${fn}: euclidean`, what);
  assertMatrix(geometric, `${fn}: ${geometricName}`, what);
  assertSameRows([euclidean, geometric], [`${fn}: euclidean`, `${fn}: ${geometricName}`]);
  if (euclidean.shape[1] !== geometric.shape[1]) {
    const hint =
      input === 'logits'
        ? 'both classifiers must predict the same classes'
        : 'e_G = GT(e_E) has the dimension of e_E; pass the embeddings, or use input: "logits" for classifier outputs';
    assertSameColumns(euclidean, geometric, `${fn}: euclidean`, `${fn}: ${geometricName}`, `${what} (${hint})`);
  }
  // KL of two softmaxes over one column is 0 for every row: a constant score that ranks nothing.
  assertSeveralColumns(
    euclidean,
    `${fn}: euclidean`,
    `z_EG compares two softmaxes and needs >= 2 ${what}: pass [batch, n] ${input === 'logits' ? 'logits' : 'embeddings'} with n >= 2.`,
  );
  assertFinite(euclidean, `${fn}: euclidean`);
  assertFinite(geometric, `${fn}: ${geometricName}`);
}

/**
 * Euclidean-geometric divergence score z_EG (the paper's Eq. 12) for GiT models (SiT, HiT):
 * z_EG = KL(softmax(euclidean) || softmax(geometric)), per row.
 *
 * Orientation depends on `direction` (see the file header for why both exist):
 * - `'larger-is-anomalous'` (default with `input: 'logits'`, the released code): AS = tanh(z_EG),
 *   `'rank'` = z_EG. AS rounds to 1 for z_EG > ~9; rank by `'rank'`.
 * - `'larger-is-normal'` (default with `input: 'embedding'`, the text): AS = 1 - tanh(z_EG)
 *   computed as 2 sigmoid(-2 z_EG), `'rank'` = -z_EG.
 * In every case AS and `'rank'` are higher = more anomalous; `'z'` returns z_EG >= 0 itself.
 *
 * @param euclidean [batch, n] Euclidean classifier logits (or embedding e_E).
 * @param geometric [batch, n] geometric classifier logits (or embedding e_G), same n.
 * @param options `input`, `direction`, `output`, `asTensor`, `batchSize` (default 8192 rows).
 */
export function divergenceScore<O extends DivergenceScoreOptions = DivergenceScoreOptions & { asTensor?: false }>(
  euclidean: tf.Tensor,
  geometric: tf.Tensor,
  options: O = {} as O,
): ScoreOutput<O> {
  const fn = 'divergenceScore';
  checkOutputOptions(options, [...OUTPUT_OPTION_KEYS, 'output', 'input', 'direction'], fn);
  const { input, largerZMeans } = resolveDivergenceOptions(options, fn);
  checkBranchPair(euclidean, geometric, input, fn, 'geometric');
  const output = options.output ?? 'anomaly';
  return scoreRows(
    [euclidean, geometric],
    ([e, g]) => orientGeometricScore(softmaxKlDivergence(e as tf.Tensor2D, g as tf.Tensor2D), output, largerZMeans),
    options,
  );
}

export function rejectEmptyBranches(geometric: unknown, fn: string): asserts geometric is tf.Tensor[] {
  if (!Array.isArray(geometric) || geometric.length === 0) {
    throw new AnomalyScoreError(`${fn}: geometric must be a non-empty array of [batch, n] tensors, one per geometric branch.`);
  }
}
