// Paper Eq. 4: Gamma_H, the map from the feature extractor's Euclidean embedding into the Poincare
// ball of curvature k < 0 (radius 1/sqrt(|k|)).
//
// The paper prints the clip radius as (1 - xi)/|k|; the ball has radius 1/sqrt(|k|), so we clip to
// (1 - xi)/sqrt(|k|) (DESIGN.md). We also clip continuously (x * min(1, R/||x||)): the printed rule
// keeps points with (1 - xi)/sqrt|k| < ||x|| <= 1/sqrt|k|, i.e. on or next to the boundary where the
// geometry is singular.
//
// Modes: 'clip' (the paper's text: the feature itself is the point, clipped) and 'expmap0' (the
// authors' released code, after Khrulkov et al.: the feature is a tangent vector at the origin,
// mapped by expmap0, then clipped). `clipR` adds Guo et al.'s feature clipping x * min(1, r/||x||)
// before either mode (beyond the paper).

import { guardedNorm } from '@curvad/manifolds';
import * as tf from '@tensorflow/tfjs-core';
import { CurvedLayer } from './curved-layer';
import { GeoLayersError } from './errors';
import { stereographic } from './geometry';
import { checkNumber, featureDim, type Kwargs, type LayerArgs, type Shape, singleInput, singleShape } from './layer-support';

export type PoincareMode = 'clip' | 'expmap0';
const MODES: readonly PoincareMode[] = ['clip', 'expmap0'];

/**
 * Default boundary margin xi: the clip radius is (1 - xi)/sqrt(|k|). 4e-3 is the float32 ball margin
 * of @curvad/manifolds (geoopt's BALL_EPS), so its project() leaves ToPoincare outputs where they
 * are, and 1 - |k| ||x||^2 >= 8e-3 stays far above float32 roundoff. (The released code uses 1e-3.)
 */
export const DEFAULT_XI = 4e-3;

export interface PoincareEmbeddingOptions {
  xi?: number;
  mode?: PoincareMode;
  /** Guo et al.'s feature clipping radius r (Euclidean, before the map); none by default. */
  clipR?: number | null;
}

/** The feature axis of [batch, dim] rows (guardedNorm's explicit-axis form: see its docs). */
const ROW_AXIS = -1;

/** Rows scaled by min(1, radius/||x||): the continuous radial clip. */
function clipRows(x: tf.Tensor, radius: tf.Scalar | number): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.minimum(1, tf.div(radius, guardedNorm(x, true, ROW_AXIS)))));
}

/** Eq. 4 on tensors (see the file header for the modes). k < 0, a number or scalar tensor. */
export function poincareEmbedding(x: tf.Tensor, k: tf.Scalar | number, options: PoincareEmbeddingOptions = {}): tf.Tensor {
  const xi = options.xi ?? DEFAULT_XI;
  const mode = options.mode ?? 'clip';
  return tf.tidy(() => {
    const features = options.clipR == null ? x : clipRows(x, options.clipR);
    const point = mode === 'expmap0' ? stereographic(k).expmap0(features) : features;
    const radius = tf.div(1 - xi, tf.sqrt(tf.abs(k))) as tf.Scalar;
    return clipRows(point, radius);
  });
}

export interface ToPoincareArgs extends LayerArgs {
  /** Curvature, < 0 (ball radius 1/sqrt(|k|)). The paper uses -0.01 (HiO) to -1 (HiT). */
  k: number;
  /** Boundary margin, 0 < xi < 1 (default 1e-3). */
  xi?: number;
  /** 'clip' (paper text, default) or 'expmap0' (released code). */
  mode?: PoincareMode;
  /** Guo et al.'s feature clipping radius r > 0 (beyond the paper); off by default. */
  clipR?: number | null;
  /** Learn k (beyond the paper): k = -(softplus(raw) + floor) stays negative. Default false. */
  learnCurvature?: boolean;
}

/** Geometric transformation into the Poincare ball (paper Eq. 4). No weights unless k is learned. */
export class ToPoincare extends CurvedLayer {
  static readonly className = 'CurvadToPoincare';
  readonly xi: number;
  readonly mode: PoincareMode;
  readonly clipR: number | null;

  constructor(args: ToPoincareArgs) {
    super(args, 'poincare', 'ToPoincare', ['xi', 'mode', 'clipR']);
    this.xi = checkNumber(args.xi ?? DEFAULT_XI, 'xi', 'ToPoincare', (v) => v > 0 && v < 1, 'in (0, 1)');
    this.mode = args.mode ?? 'clip';
    if (!MODES.includes(this.mode)) {
      throw new GeoLayersError(`ToPoincare: mode must be 'clip' or 'expmap0', got '${String(args.mode)}'.`);
    }
    this.clipR = args.clipR == null ? null : checkNumber(args.clipR, 'clipR', 'ToPoincare', (v) => v > 0, 'a finite number > 0');
  }

  override build(inputShape: Shape | Shape[]): void {
    featureDim(singleShape(inputShape, 'ToPoincare'), 'ToPoincare');
    this.buildCurvature();
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, 'ToPoincare');
    featureDim(shape, 'ToPoincare');
    return shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs, 'ToPoincare');
      featureDim(x.shape, 'ToPoincare');
      return poincareEmbedding(x, this.curvature.current(), { xi: this.xi, mode: this.mode, clipR: this.clipR });
    });
  }

  protected override ownConfig(): tf.serialization.ConfigDict {
    return { xi: this.xi, mode: this.mode, clipR: this.clipR };
  }
}
tf.serialization.registerClass(ToPoincare);
