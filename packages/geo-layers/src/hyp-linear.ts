// Paper Eq. 7: the hyperbolic linear layer, W_(+)(x) = tan_k(||xW||/||x|| artan_k(||x||)) xW/||xW||
// (Moebius matvec, Ganea et al. 2018), followed by the Moebius bias x (+) b. The bias b lives on the
// ball as b = expmap0(b_tangent) with the layer's own k (hyptorch's HypLinear adds it with c = 1
// whatever the layer's curvature, a known bug we do not reproduce). The output is projected into the
// ball (margin of @curvad/manifolds' project()).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CurvedLayer } from './curved-layer';
import { applyToPixels, layerFeatureDim } from './feature-maps';
import { stereographic } from './geometry';
import { builtFeatureInput, checkPositiveInt, type Kwargs, type LayerArgs, rowOutputShape, type Shape, singleShape } from './layer-support';

/** Eq. 7 plus the Moebius bias on tensors: x [batch, in] on the ball, kernel [in, out], bias tangent [out] or null. */
export function hypLinear(x: tf.Tensor, kernel: tf.Tensor, biasTangent: tf.Tensor | null, k: tf.Scalar | number): tf.Tensor {
  return tf.tidy(() => {
    const ball = stereographic(k);
    const mapped = ball.mobiusMatvec(ball.project(x), kernel);
    if (biasTangent === null) return ball.project(mapped);
    const bias = ball.expmap0(tf.reshape(biasTangent, [1, -1]));
    return ball.project(ball.mobiusAdd(mapped, tf.broadcastTo(bias, mapped.shape)));
  });
}

export interface HypLinearArgs extends LayerArgs {
  units: number;
  /** Curvature, < 0. */
  k: number;
  /** Add a Moebius bias (default true). */
  useBias?: boolean;
  /** Learn k (beyond the paper): k = -(softplus(raw) + floor). Default false. */
  learnCurvature?: boolean;
  /** Seed of the kernel initializer (glorot uniform). */
  seed?: number;
}

/** Hyperbolic linear layer (paper Eq. 7): Poincare ball in, Poincare ball out. */
export class HypLinear extends CurvedLayer {
  static readonly className = 'CurvadHypLinear';
  readonly units: number;
  readonly useBias: boolean;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: HypLinearArgs) {
    super(args, 'poincare', 'HypLinear', ['units', 'useBias']);
    this.units = checkPositiveInt(args?.units, 'units', 'HypLinear');
    this.useBias = args.useBias ?? true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const dim = layerFeatureDim(singleShape(inputShape, 'HypLinear'), 'HypLinear');
    this.kernel = this.addWeight(
      'kernel',
      [dim, this.units],
      'float32',
      tfl.initializers.glorotUniform({ seed: this.seed }),
      undefined,
      true,
    );
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], 'float32', tfl.initializers.zeros(), undefined, true);
    }
    this.buildCurvature();
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return rowOutputShape(inputShape, 'HypLinear', this.units);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const kernel = this.kernel!.read();
      const x = builtFeatureInput(inputs, 'HypLinear', kernel.shape[0]!);
      const bias = this.bias === null ? null : this.bias.read();
      const k = this.curvature.current();
      return applyToPixels(x, (rows) => hypLinear(rows, kernel, bias, k));
    });
  }

  protected override ownConfig(): tf.serialization.ConfigDict {
    return { units: this.units, useBias: this.useBias };
  }
}
tf.serialization.registerClass(HypLinear);
