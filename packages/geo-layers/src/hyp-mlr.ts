// Paper Eq. 8: hyperbolic multinomial logistic regression (Ganea et al. 2018, Sec. 3.1). For class j,
// with c = |k|, offset p_j on the ball and normal a_j in the tangent space at p_j,
//
//   logit_j(x) = lambda_c(p_j) ||a_j|| / sqrt(c) * asinh( 2 sqrt(c) <(-p_j) (+) x, a_j>
//                                                       / ((1 - c ||(-p_j) (+) x||^2) ||a_j||) ),
//   lambda_c(p) = 2 / (1 - c ||p||^2).
//
// The printed denominator "(1 - |k| ||x|| - p_j (+) x) ||W_j||" is garbled; the formula above is
// Ganea et al.'s (DESIGN.md). Parameters follow hyptorch (the authors' released code uses it):
// p_j = expmap0(P_j) for an unconstrained tangent P_j, and a_j = A_j (1 - c ||p_j||^2) for an
// unconstrained A_j (the conformal rescaling, so lambda_c(p_j) ||a_j|| = 2 ||A_j||).
//
// Parametrizations of P_j:
// - 'ganea' (default): P_j free, [dim] per class: 2 dim C weights (the released code's MLR).
// - 'compact': P_j = r_j A_j/||A_j||, one scalar r_j per class: dim C + C weights, exactly a dense
//   layer's count (as in Shimizu et al.'s HNN++ MLR, where the offset lies along the normal). This is
//   what lets a GiO head keep the paper's "no extra parameters" claim.
//
// (-p_j) (+) x is never materialized per class: its inner product with a_j and its squared norm are
// closed forms in <x, p_j>, <x, a_j>, <p_j, a_j>, ||x||^2, ||p_j||^2, so the cost is two [batch, dim] x
// [dim, C] products, not a [batch, C, dim] tensor. Tests check it against the manifolds' mobiusAdd.

import { arsinh, guardedNorm } from '@curvad/manifolds';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { clipToBall, MIN_XI } from './ball-margin';
import { CurvedLayer, SHARE_CURVATURE_KEY } from './curved-layer';
import { GeoLayersError } from './errors';
import { applyToPixels, layerFeatureDim } from './feature-maps';
import { stereographic } from './geometry';
import { builtFeatureInput, checkPositiveInt, type Kwargs, type LayerArgs, rowOutputShape, type Shape, singleShape } from './layer-support';

export type MlrParametrization = 'ganea' | 'compact';
const PARAMETRIZATIONS: readonly MlrParametrization[] = ['ganea', 'compact'];

/**
 * Floor of 1 - c ||(-p) (+) x||^2 and of the Moebius denominator. Both are positive for points in the
 * ball; with inputs at the MIN_XI margin and offsets at the manifolds' 4e-3 margin the smallest
 * reachable value is ~4e-7, so the floor only guards inputs that violate the ball.
 */
const MIN_BALL_GAP = 1e-15;

/** The axis of a [dim, C] kernel that runs along one class's column (its norm is ||A_j||). */
const KERNEL_COLUMN_AXIS = 0;
/** The axis of the [C, dim] rows p_j, a_j that runs along one class's vector. */
const CLASS_ROW_AXIS = -1;

/** Offsets p_j (rows [C, dim]) and normals a_j (rows [C, dim]) from the layer's weights. */
export function mlrParameters(
  aKernel: tf.Tensor,
  pWeight: tf.Tensor,
  parametrization: MlrParametrization,
  k: tf.Scalar | number,
): { p: tf.Tensor2D; a: tf.Tensor2D } {
  return tf.tidy(() => {
    const c = tf.neg(k);
    const aTangent = tf.transpose(aKernel);
    const pTangent =
      parametrization === 'ganea'
        ? tf.transpose(pWeight)
        : tf.mul(tf.reshape(pWeight, [-1, 1]), tf.transpose(tf.div(aKernel, guardedNorm(aKernel, true, KERNEL_COLUMN_AXIS))));
    const ball = stereographic(k);
    const p = ball.project(ball.expmap0(pTangent));
    const a = tf.mul(aTangent, tf.sub(1, tf.mul(c, tf.sum(tf.square(p), -1, true))));
    return { p: p as tf.Tensor2D, a: a as tf.Tensor2D };
  });
}

/** Eq. 8 logits [batch, C] for x [batch, dim] on the ball, offsets p [C, dim], normals a [C, dim]. */
export function hypMlrLogits(x: tf.Tensor, p: tf.Tensor, a: tf.Tensor, k: tf.Scalar | number): tf.Tensor {
  return tf.tidy(() => {
    const c = tf.neg(k);
    const sqrtC = tf.sqrt(c);
    const xp = tf.matMul(x, p, false, true); // <x, p_j>          [B, C]
    const xa = tf.matMul(x, a, false, true); // <x, a_j>          [B, C]
    const x2 = tf.sum(tf.square(x), -1, true); // ||x||^2         [B, 1]
    const p2 = tf.reshape(tf.sum(tf.square(p), -1), [1, -1]); // ||p_j||^2   [1, C]
    const pa = tf.reshape(tf.sum(tf.mul(p, a), -1), [1, -1]); // <p_j, a_j>  [1, C]
    const aNorm = tf.reshape(guardedNorm(a, false, CLASS_ROW_AXIS), [1, -1]); // ||a_j||  [1, C]
    // (-p) (+) x = (alpha (-p) + beta x) / den, with <-p, x> = -xp.
    const alpha = tf.add(tf.sub(1, tf.mul(tf.mul(2, c), xp)), tf.mul(c, x2));
    const beta = tf.sub(1, tf.mul(c, p2));
    // den = 1 - 2c<p,x> + c^2 ||p||^2 ||x||^2 as (1 - c<p,x>)^2 + c^2 (||p||^2 ||x||^2 - <p,x>^2):
    // two non-negative terms, no cancellation near the boundary.
    const lagrange = tf.relu(tf.sub(tf.mul(p2, x2), tf.square(xp)));
    const den = tf.maximum(tf.add(tf.square(tf.sub(1, tf.mul(c, xp))), tf.mul(tf.square(c), lagrange)), MIN_BALL_GAP);
    const numDotA = tf.sub(tf.mul(beta, xa), tf.mul(alpha, pa));
    const numSq = tf.add(tf.sub(tf.mul(tf.square(alpha), p2), tf.mul(tf.mul(tf.mul(2, alpha), beta), xp)), tf.mul(tf.square(beta), x2));
    const mxDotA = tf.div(numDotA, den);
    const mxSq = tf.div(tf.relu(numSq), tf.square(den));
    const gap = tf.maximum(tf.sub(1, tf.mul(c, mxSq)), MIN_BALL_GAP);
    const lambdaP = tf.div(2, tf.maximum(beta, MIN_BALL_GAP));
    const argument = tf.div(tf.mul(tf.mul(2, sqrtC), mxDotA), tf.mul(gap, aNorm));
    return tf.mul(tf.div(tf.mul(lambdaP, aNorm), sqrtC), arsinh(argument));
  });
}

export interface HypMLRArgs extends LayerArgs {
  /** Number of classes, >= 2. */
  classes: number;
  /** Curvature, < 0. */
  k: number;
  /** 'ganea' (default, free offsets) or 'compact' (offset along the normal: a dense layer's count). */
  parametrization?: MlrParametrization;
  /** Learn k (beyond the paper): k = -(softplus(raw) + floor). Default false. */
  learnCurvature?: boolean;
  /** Seed of the initializers. */
  seed?: number;
  /** Use the curvature of the ToPoincare / ProductEmbedding layer feeding it (one owner). Default false. */
  shareCurvature?: boolean;
}

/** Hyperbolic MLR classifier (paper Eq. 8): Poincare-ball points in, C logits out. */
export class HypMLR extends CurvedLayer {
  static readonly className = 'CurvadHypMLR';
  readonly classes: number;
  readonly parametrization: MlrParametrization;
  private aKernel: tfl.LayerVariable | null = null;
  private pWeight: tfl.LayerVariable | null = null;

  constructor(args: HypMLRArgs) {
    super(args, 'poincare', 'HypMLR', ['classes', 'parametrization', SHARE_CURVATURE_KEY]);
    this.classes = checkPositiveInt(args?.classes, 'classes', 'HypMLR', 2);
    this.parametrization = args.parametrization ?? 'ganea';
    if (!PARAMETRIZATIONS.includes(this.parametrization)) {
      throw new GeoLayersError(`HypMLR: parametrization must be 'ganea' or 'compact', got '${String(args.parametrization)}'.`);
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const dim = layerFeatureDim(singleShape(inputShape, 'HypMLR'), 'HypMLR');
    // The released code's initialization (hyptorch: kaiming_uniform with a = sqrt(5), i.e. U(+-1/sqrt(dim))
    // for both A and P): ||A_j|| and ||P_j|| start near 0.58 whatever the width, so the initial logits
    // (scale 2 ||A_j|| / sqrt|k|) and offsets (p_j = expmap0(P_j)) stay moderate.
    const bound = 1 / Math.sqrt(dim);
    const uniform = (offset: number) =>
      tfl.initializers.randomUniform({
        minval: -bound,
        maxval: bound,
        seed: this.seed === undefined ? undefined : this.seed + offset,
      });
    this.aKernel = this.addWeight('a_kernel', [dim, this.classes], 'float32', uniform(0), undefined, true);
    this.pWeight =
      this.parametrization === 'ganea'
        ? this.addWeight('p_kernel', [dim, this.classes], 'float32', uniform(1), undefined, true)
        : this.addWeight('p_offset', [this.classes], 'float32', tfl.initializers.zeros(), undefined, true);
    this.buildCurvature();
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return rowOutputShape(inputShape, 'HypMLR', this.classes);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const aKernel = this.aKernel!.read();
      const x = builtFeatureInput(inputs, 'HypMLR', aKernel.shape[0]!);
      const k = this.curvature.current();
      const { p, a } = mlrParameters(aKernel, this.pWeight!.read(), this.parametrization, k);
      // Inputs are expected on the ball (ToPoincare's output); the clip at the MIN_XI radius keeps a
      // point that a different curvature (a stand-alone layer fed by another ball) put outside this one
      // from producing NaN. It leaves every ToPoincare output where it is (xi >= MIN_XI), so the
      // map's margin, e.g. the released 1e-3, is not overruled by the manifolds' 4e-3 project().
      return applyToPixels(x, (rows) => hypMlrLogits(clipToBall(rows, k, MIN_XI), p, a, k));
    });
  }

  /** Current class offsets p_j (rows, on the ball) and normals a_j (rows). */
  classParameters(): { p: tf.Tensor2D; a: tf.Tensor2D } {
    return tf.tidy(() => mlrParameters(this.aKernel!.read(), this.pWeight!.read(), this.parametrization, this.curvature.current()));
  }

  protected override ownConfig(): tf.serialization.ConfigDict {
    return { classes: this.classes, parametrization: this.parametrization };
  }
}
tf.serialization.registerClass(HypMLR);
