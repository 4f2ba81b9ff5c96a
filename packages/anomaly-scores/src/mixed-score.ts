// Eq. 11 of the paper: z_M = sqrt(sum_i z_{M,i}^2) over the component spaces of a mixed-curvature
// GiO model (MiO), optionally with the Euclidean z_E = max(c_E) as one more component
// (Sec. IV-A: "M_M = M_E x M_S x M_H, z_M^2 = z_E^2 + z_S^2 + z_H^2"), and AS = 1 - tanh(z_M).
//
// Squaring follows the paper literally: a component with a negative z (a spherical logit below
// zero) counts as much as the same positive value. With the paper's heads z_S is the best cosine
// of an ID-trained classifier and rarely negative; the docs say so rather than change Eq. 11.
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';
import { GEOMETRIC_OUTPUTS, orientGeometricScore } from './geometric-output';
import { assertCurvatureNegative, assertInsideBall, hyperbolicZ } from './hyperbolic-score';
import { oneMinusMaxSoftmax, SINGLE_CLASS_HINT } from './max-softmax-score';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type ScoreOutput, scoreRows } from './output';
import { type GeometricScoreOptions, sphericalZ } from './spherical-score';
import { assertFinite, assertMatrix, assertOneOf, assertSameRows, assertSeveralColumns, describe } from './validate';

/** One component space of z_M, with what its z is computed from. */
export type MixedComponent =
  /** z_E = max softmax(logits) of the Euclidean classifier (Hendrycks & Gimpel). */
  | { space: 'euclidean'; logits: tf.Tensor }
  /** z_S = max of the spherical head's logits (Eq. 9). */
  | { space: 'spherical'; logits: tf.Tensor }
  /** z_H = d(e_H, 0) on the Poincare ball of curvature k < 0 (Eq. 10). */
  | { space: 'hyperbolic'; embedding: tf.Tensor; k: number };

const SPACES = ['euclidean', 'spherical', 'hyperbolic'] as const;

function componentTensor(c: MixedComponent): tf.Tensor {
  return c.space === 'hyperbolic' ? c.embedding : c.logits;
}

/** z of one component on a chunk of rows. */
function componentZ(c: MixedComponent, chunk: tf.Tensor2D): tf.Tensor1D {
  if (c.space === 'euclidean') return tf.sub(1, oneMinusMaxSoftmax(chunk, 1)) as tf.Tensor1D;
  if (c.space === 'spherical') return sphericalZ(chunk);
  return hyperbolicZ(chunk, c.k);
}

/**
 * Mixed-curvature geometric score z_M (the paper's Eq. 11) and its anomaly score AS = 1 - tanh(z_M).
 *
 * z_M = sqrt(sum_i z_i^2) over the given components: e.g. `[{space: 'spherical', ...},
 * {space: 'hyperbolic', ...}]` for MiO (S x H), plus `{space: 'euclidean', logits}` to include
 * z_E = max softmax (E x S x H). Any number of components of any kind, all with the same rows.
 *
 * Orientation: z_M larger = more normal; AS (default) and `'rank'` (= -z_M) are higher = more anomalous.
 *
 * @param components the component spaces and their inputs (logits [batch, classes] or embedding [batch, dim]).
 * @param options `output` ('anomaly' | 'rank' | 'z'), `asTensor`, `batchSize` (default 8192 rows).
 */
export function mixedScore<O extends GeometricScoreOptions = GeometricScoreOptions & { asTensor?: false }>(
  components: readonly MixedComponent[],
  options: O = {} as O,
): ScoreOutput<O> {
  checkOutputOptions(options, [...OUTPUT_OPTION_KEYS, 'output'], 'mixedScore');
  const output = options.output ?? 'anomaly';
  assertOneOf(output, GEOMETRIC_OUTPUTS, 'mixedScore: output');
  if (!Array.isArray(components) || components.length === 0) {
    throw new AnomalyScoreError(
      `mixedScore: components must be a non-empty array of {space, ...} objects (one per component space), got ${describe(components)}.`,
    );
  }
  const names = components.map((_, i) => `mixedScore: components[${i}]`);
  components.forEach((c, i) => {
    if (typeof c !== 'object' || c === null) throw new AnomalyScoreError(`${names[i]} must be an object, got ${describe(c)}.`);
    assertOneOf(c.space, SPACES, `${names[i]}.space`);
    const t = componentTensor(c);
    const name = `${names[i]}.${c.space === 'hyperbolic' ? 'embedding' : 'logits'}`;
    assertMatrix(t, name, c.space === 'hyperbolic' ? 'dim' : 'classes');
    assertFinite(t, name);
    if (c.space === 'euclidean') assertSeveralColumns(t as tf.Tensor2D, name, SINGLE_CLASS_HINT);
    if (c.space === 'hyperbolic') {
      assertCurvatureNegative(c.k, `${names[i]}.k`);
      assertInsideBall(t as tf.Tensor2D, c.k, names[i]!);
    }
  });
  const tensors = components.map(componentTensor);
  assertSameRows(tensors, names);
  return scoreRows(
    tensors,
    (chunks) => {
      const squares = components.map((c, i) => tf.square(componentZ(c, chunks[i] as tf.Tensor2D)));
      const z = tf.sqrt(tf.addN(squares));
      return orientGeometricScore(z, output, 'normal');
    },
    options,
  );
}
