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
//
// The margin xi is the one asked for, down to the float32 floor MIN_XI (ball-margin.ts): expmap0 is the
// manifolds' unprojected map, so their 4e-3 project() margin does not overrule a smaller xi such as
// the released 1e-3. `riemannianGradient` adds the released backward rescaling (riemannian-gradient.ts).

import { expmap0 } from '@curvad/manifolds';
import * as tf from '@tensorflow/tfjs-core';
import { checkXi, clipRows, clipToBall, DEFAULT_XI } from './ball-margin';
import { CurvedLayer } from './curved-layer';
import { GeoLayersError } from './errors';
import { applyToPixels, layerFeatureDim } from './feature-maps';
import { checkFlag, checkNumber, type Kwargs, type LayerArgs, type Shape, singleInput, singleShape } from './layer-support';
import { withRiemannianGradient } from './riemannian-gradient';

export type PoincareMode = 'clip' | 'expmap0';
const MODES: readonly PoincareMode[] = ['clip', 'expmap0'];

export interface PoincareEmbeddingOptions {
  xi?: number;
  mode?: PoincareMode;
  /** Guo et al.'s feature clipping radius r (Euclidean, before the map); none by default. */
  clipR?: number | null;
  /** The released backward pass: the gradient at the mapped point y times (1 + k ||y||^2)^2 / 4. Default false. */
  riemannianGradient?: boolean;
}

/** Eq. 4 on tensors (see the file header for the modes). k < 0, a number or scalar tensor. */
export function poincareEmbedding(x: tf.Tensor, k: tf.Scalar | number, options: PoincareEmbeddingOptions = {}): tf.Tensor {
  const xi = checkXi(options.xi ?? DEFAULT_XI, 'poincareEmbedding');
  const mode = options.mode ?? 'clip';
  return tf.tidy(() => {
    const features = options.clipR == null ? x : clipRows(x, options.clipR);
    const point = mode === 'expmap0' ? expmap0(features, k) : features;
    const inBall = clipToBall(point, k, xi);
    return options.riemannianGradient === true ? withRiemannianGradient(inBall, k) : inBall;
  });
}

export interface ToPoincareArgs extends LayerArgs {
  /** Curvature, < 0 (ball radius 1/sqrt(|k|)). The paper uses -0.01 (HiO) to -1 (HiT). */
  k: number;
  /** Boundary margin, MIN_XI (1e-4) <= xi < 1 (default DEFAULT_XI = 4e-3; the released code uses 1e-3). */
  xi?: number;
  /** 'clip' (paper text, default) or 'expmap0' (released code). */
  mode?: PoincareMode;
  /** Guo et al.'s feature clipping radius r > 0 (beyond the paper); off by default. */
  clipR?: number | null;
  /** The released Riemannian gradient rescaling through the map (hyptorch's RiemannianGradient). Default false. */
  riemannianGradient?: boolean;
  /** Learn k (beyond the paper): k = -(softplus(raw) + floor) stays negative. Default false. */
  learnCurvature?: boolean;
}

/**
 * Geometric transformation into the Poincare ball (paper Eq. 4). No weights unless k is learned. Rows
 * [batch, dim] or feature maps [batch, h, w, channels] (per pixel, feature-maps.ts).
 */
export class ToPoincare extends CurvedLayer {
  static readonly className = 'CurvadToPoincare';
  readonly xi: number;
  readonly mode: PoincareMode;
  readonly clipR: number | null;
  readonly riemannianGradient: boolean;

  constructor(args: ToPoincareArgs) {
    super(args, 'poincare', 'ToPoincare', ['xi', 'mode', 'clipR', 'riemannianGradient']);
    this.xi = checkXi(args.xi ?? DEFAULT_XI, 'ToPoincare');
    this.mode = args.mode ?? 'clip';
    if (!MODES.includes(this.mode)) {
      throw new GeoLayersError(`ToPoincare: mode must be 'clip' or 'expmap0', got '${String(args.mode)}'.`);
    }
    this.clipR = args.clipR == null ? null : checkNumber(args.clipR, 'clipR', 'ToPoincare', (v) => v > 0, 'a finite number > 0');
    this.riemannianGradient = checkFlag(args.riemannianGradient, 'riemannianGradient', 'ToPoincare');
  }

  override build(inputShape: Shape | Shape[]): void {
    layerFeatureDim(singleShape(inputShape, 'ToPoincare'), 'ToPoincare');
    this.buildCurvature();
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, 'ToPoincare');
    layerFeatureDim(shape, 'ToPoincare');
    return shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs, 'ToPoincare');
      layerFeatureDim(x.shape, 'ToPoincare');
      const k = this.curvature.current();
      const options = { xi: this.xi, mode: this.mode, clipR: this.clipR, riemannianGradient: this.riemannianGradient };
      return applyToPixels(x, (rows) => poincareEmbedding(rows, k, options));
    });
  }

  protected override ownConfig(): tf.serialization.ConfigDict {
    return { xi: this.xi, mode: this.mode, clipR: this.clipR, riemannianGradient: this.riemannianGradient };
  }
}
tf.serialization.registerClass(ToPoincare);
