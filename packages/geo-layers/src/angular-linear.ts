// Paper Eq. 3 (and the logits Eq. 9 takes the max of): the angular classifier of the sphere head,
// l_S(x, w_j) = <x, w_j> with x and every class prototype w_j on the sphere S_k of radius 1/sqrt(k),
// so the logits are cos(theta_j) / k, in [-1/k, 1/k].
//
// Two variants (DESIGN.md, "Reading the paper as code"):
// - 'paper' (default): the text's head. The input is put on the sphere (idempotent after ToSphere),
//   logits <x, w_j> = cos(theta_j) / k.
// - 'sphereface': the authors' released head, SphereFace's AngleLinear with m = 1: bias-free,
//   prototypes normalized, the raw feature kept, logits sqrt(k) ||x|| cos(theta_j).
// `scale` (default 1) multiplies the logits: a documented deviation from the paper, whose logits in
// [-1, 1] (k = 1) keep the softmax far from one-hot.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CurvedLayer, SHARE_CURVATURE_KEY } from './curved-layer';
import { GeoLayersError } from './errors';
import { applyToPixels, layerFeatureDim } from './feature-maps';
import {
  builtFeatureInput,
  checkNumber,
  checkPositiveInt,
  type Kwargs,
  type LayerArgs,
  rowOutputShape,
  type Shape,
  singleShape,
} from './layer-support';
import { unitColumns, unitRows } from './unit-sphere';

export type AngularVariant = 'paper' | 'sphereface';
const VARIANTS: readonly AngularVariant[] = ['paper', 'sphereface'];

/** Eq. 3 logits on tensors; see the file header for the variants. */
export function angularLogits(x: tf.Tensor, kernel: tf.Tensor, k: tf.Scalar | number, variant: AngularVariant, scale = 1): tf.Tensor {
  return tf.tidy(() => {
    const prototypes = unitColumns(kernel);
    const logits = variant === 'paper' ? tf.div(tf.matMul(unitRows(x), prototypes), k) : tf.mul(tf.matMul(x, prototypes), tf.sqrt(k));
    return scale === 1 ? logits : tf.mul(logits, scale);
  });
}

export interface AngularLinearArgs extends LayerArgs {
  /** Number of classes (prototypes), >= 2. */
  units: number;
  /** Sphere curvature, > 0. The paper uses 1. */
  k: number;
  /** Logit multiplier (deviation from the paper, default 1). */
  scale?: number;
  /** 'paper' (default) or 'sphereface' (the released code's head). */
  variant?: AngularVariant;
  /** Learn k (beyond the paper): k = softplus(raw) + floor. Default false. */
  learnCurvature?: boolean;
  /** Seed of the prototype initializer (glorot uniform). */
  seed?: number;
  /** Use the curvature of the ToSphere / ProductEmbedding layer feeding it (one owner). Default false. */
  shareCurvature?: boolean;
}

/** Angular (cosine) classifier with its C prototypes kept on the sphere S_k (paper Eq. 3). */
export class AngularLinear extends CurvedLayer {
  static readonly className = 'CurvadAngularLinear';
  readonly units: number;
  readonly scale: number;
  readonly variant: AngularVariant;
  private kernel: tfl.LayerVariable | null = null;

  constructor(args: AngularLinearArgs) {
    super(args, 'sphere', 'AngularLinear', ['units', 'scale', 'variant', SHARE_CURVATURE_KEY]);
    this.units = checkPositiveInt(args?.units, 'units (classes)', 'AngularLinear', 2);
    this.scale = checkNumber(args.scale ?? 1, 'scale', 'AngularLinear', (v) => v > 0, 'a finite number > 0');
    this.variant = args.variant ?? 'paper';
    if (!VARIANTS.includes(this.variant)) {
      throw new GeoLayersError(`AngularLinear: variant must be 'paper' or 'sphereface', got '${String(args.variant)}'.`);
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const dim = layerFeatureDim(singleShape(inputShape, 'AngularLinear'), 'AngularLinear');
    this.kernel = this.addWeight(
      'kernel',
      [dim, this.units],
      'float32',
      tfl.initializers.glorotUniform({ seed: this.seed }),
      undefined,
      true,
    );
    this.buildCurvature();
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return rowOutputShape(inputShape, 'AngularLinear', this.units);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const kernel = this.kernel!.read();
      const x = builtFeatureInput(inputs, 'AngularLinear', kernel.shape[0]!);
      const k = this.curvature.current();
      return applyToPixels(x, (rows) => angularLogits(rows, kernel, k, this.variant, this.scale));
    });
  }

  /** The class prototypes on the sphere S_k, one per row: [units, dim]. */
  prototypes(): tf.Tensor2D {
    return tf.tidy(() => {
      const k = this.curvature.current();
      return tf.div(tf.transpose(unitColumns(this.kernel!.read())), tf.sqrt(k)) as tf.Tensor2D;
    });
  }

  protected override ownConfig(): tf.serialization.ConfigDict {
    return { units: this.units, scale: this.scale, variant: this.variant };
  }
}
tf.serialization.registerClass(AngularLinear);
