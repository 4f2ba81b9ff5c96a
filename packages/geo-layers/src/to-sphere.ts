// Paper Eq. 2: Gamma_S(x) = x / (sqrt(k) ||x||), the map from the feature extractor's Euclidean
// embedding onto the sphere S_k of radius 1/sqrt(k) (Eq. 1).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CurvatureSlot, checkCurvature } from './curvature';
import { unitRows } from './unit-sphere';
import { featureDim, singleInput, singleShape, type Kwargs, type LayerArgs, type Shape } from './layer-support';

/**
 * Eq. 2 on tensors: rows of x onto the sphere of radius 1/sqrt(k). A zero row has no direction; it
 * goes to the pole e_1 / sqrt(k) (the manifolds package's convention), so every output is on S_k.
 */
export function sphereEmbedding(x: tf.Tensor, k: tf.Scalar | number): tf.Tensor {
  return tf.tidy(() => tf.div(unitRows(x), tf.sqrt(k)));
}

export interface ToSphereArgs extends LayerArgs {
  /** Curvature, > 0 (sphere radius 1/sqrt(k)). The paper uses 1. */
  k: number;
  /** Learn k (beyond the paper): k = softplus(raw) + floor stays positive. Default false. */
  learnCurvature?: boolean;
}

/** Geometric transformation onto the sphere S_k (paper Eq. 2). No weights unless k is learned. */
export class ToSphere extends tfl.layers.Layer {
  static readonly className = 'CurvadToSphere';
  readonly k: number;
  readonly learnCurvature: boolean;
  private readonly curvature: CurvatureSlot;

  constructor(args: ToSphereArgs) {
    super(args);
    this.k = checkCurvature(args?.k, 'sphere', 'ToSphere');
    this.learnCurvature = args.learnCurvature ?? false;
    this.curvature = new CurvatureSlot('sphere', this.k, this.learnCurvature);
  }

  override build(inputShape: Shape | Shape[]): void {
    featureDim(singleShape(inputShape, 'ToSphere'), 'ToSphere');
    this.curvature.build((name, init) => this.addWeight(name, [], 'float32', init, undefined, true));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, 'ToSphere');
    featureDim(shape, 'ToSphere');
    return shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs, 'ToSphere');
      featureDim(x.shape, 'ToSphere');
      return sphereEmbedding(x, this.curvature.current());
    });
  }

  /** The current curvature (the trained value when learned). */
  curvatureValue(): number {
    return this.curvature.value();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), k: this.k, learnCurvature: this.learnCurvature };
  }
}
tf.serialization.registerClass(ToSphere);
