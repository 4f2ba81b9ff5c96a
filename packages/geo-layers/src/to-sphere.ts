// Paper Eq. 2: Gamma_S(x) = x / (sqrt(k) ||x||), the map from the feature extractor's Euclidean
// embedding onto the sphere S_k of radius 1/sqrt(k) (Eq. 1).
import * as tf from '@tensorflow/tfjs-core';
import { CurvedLayer } from './curved-layer';
import { applyToPixels, layerFeatureDim } from './feature-maps';
import { type Kwargs, type LayerArgs, type Shape, singleInput, singleShape } from './layer-support';
import { unitRows } from './unit-sphere';

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

/**
 * Geometric transformation onto the sphere S_k (paper Eq. 2). No weights unless k is learned. Rows
 * [batch, dim] or feature maps [batch, h, w, channels] (per pixel, feature-maps.ts).
 */
export class ToSphere extends CurvedLayer {
  static readonly className = 'CurvadToSphere';

  constructor(args: ToSphereArgs) {
    super(args, 'sphere', 'ToSphere', []);
  }

  override build(inputShape: Shape | Shape[]): void {
    layerFeatureDim(singleShape(inputShape, 'ToSphere'), 'ToSphere');
    this.buildCurvature();
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, 'ToSphere');
    layerFeatureDim(shape, 'ToSphere');
    return shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs, 'ToSphere');
      layerFeatureDim(x.shape, 'ToSphere');
      const k = this.curvature.current();
      return applyToPixels(x, (rows) => sphereEmbedding(rows, k));
    });
  }

  protected override ownConfig(): tf.serialization.ConfigDict {
    return {};
  }
}
tf.serialization.registerClass(ToSphere);
