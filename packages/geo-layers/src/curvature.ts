// Curvature of a geometric layer: a fixed number (as in the paper) or a trainable weight (beyond the
// paper). Signs follow DESIGN.md: k > 0 sphere, k < 0 Poincare ball.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GeoLayersError } from './errors';
import type { Initializer } from './layer-support';

export type CurvedGeometry = 'sphere' | 'poincare';

/**
 * Smallest |k| a learned curvature can reach. softplus underflows to exactly 0 for a very negative
 * raw weight, and every layer divides by sqrt(|k|); the floor keeps the radius 1/sqrt(|k|) finite
 * (<= ~316) without limiting the curvatures the paper uses (|k| >= 1e-3).
 */
export const MIN_LEARNED_CURVATURE = 1e-5;

const SIGN_WORD: Record<CurvedGeometry, string> = { sphere: 'positive (k > 0)', poincare: 'negative (k < 0)' };

/** Validate a curvature for `geometry`; returns it as a number or throws a GeoLayersError. */
export function checkCurvature(k: unknown, geometry: CurvedGeometry, owner: string): number {
  if (typeof k !== 'number' || !Number.isFinite(k)) {
    throw new GeoLayersError(
      `${owner}: curvature k must be a finite number, got ${String(k)}. Pass e.g. k: ${geometry === 'sphere' ? '1' : '-1'}.`,
    );
  }
  const ok = geometry === 'sphere' ? k > 0 : k < 0;
  if (!ok) {
    throw new GeoLayersError(
      `${owner}: a ${geometry} layer needs a ${SIGN_WORD[geometry]} curvature, got k = ${k}. ` +
        `curvad uses one signed k everywhere: k > 0 sphere, k < 0 Poincare ball (k = -c for a ball of curvature -c).`,
    );
  }
  return k;
}

/** Inverse of softplus, log(exp(y) - 1), stable for small and large y. */
export function softplusInverse(y: number): number {
  return y + Math.log(-Math.expm1(-y));
}

type AddScalarWeight = (name: string, initializer: Initializer) => tfl.LayerVariable;

/**
 * One curvature of a layer. Fixed: the number itself. Learnable: a scalar trainable weight `raw`
 * with k = sign * (softplus(raw) + MIN_LEARNED_CURVATURE), so the sign of k, which decides the
 * geometry, can never flip during training (k = -softplus(raw) - floor for the ball, + for the sphere).
 * The layer config keeps the initial k; the trained value lives in the weight.
 */
export class CurvatureSlot {
  private raw: tfl.LayerVariable | null = null;

  constructor(
    readonly geometry: CurvedGeometry,
    readonly initialK: number,
    readonly learnable: boolean,
    readonly weightName = 'raw_k',
  ) {
    if (learnable && Math.abs(initialK) <= MIN_LEARNED_CURVATURE) {
      throw new GeoLayersError(
        `a learnable curvature must start with |k| > ${MIN_LEARNED_CURVATURE} (the learned floor), got k = ${initialK}.`,
      );
    }
  }

  get sign(): 1 | -1 {
    return this.geometry === 'sphere' ? 1 : -1;
  }

  /** Create the trainable weight (call from the layer's build()). No-op for a fixed curvature. */
  build(addWeight: AddScalarWeight): void {
    if (!this.learnable || this.raw !== null) return;
    const raw0 = softplusInverse(Math.abs(this.initialK) - MIN_LEARNED_CURVATURE);
    this.raw = addWeight(this.weightName, tfl.initializers.constant({ value: raw0 }));
  }

  /**
   * The curvature for a layer's call: the number itself when fixed (the manifolds math then takes
   * the fast path for a known sign and reads no tensor back), else a scalar tensor differentiable
   * w.r.t. the raw weight.
   */
  current(): number | tf.Scalar {
    return this.learnable ? this.tensor() : this.initialK;
  }

  /** Signed curvature as a scalar tensor; differentiable w.r.t. the raw weight when learnable. */
  tensor(): tf.Scalar {
    if (!this.learnable) return tf.scalar(this.initialK);
    if (this.raw === null) throw new GeoLayersError('the layer is not built yet: call it on an input first.');
    const raw = this.raw;
    return tf.tidy(() => tf.mul(this.sign, tf.add(tf.softplus(raw.read()), MIN_LEARNED_CURVATURE)) as tf.Scalar);
  }

  /** Current curvature as a number (the trained value when learnable). */
  value(): number {
    if (!this.learnable) return this.initialK;
    const t = this.tensor();
    const v = t.dataSync()[0]!;
    t.dispose();
    return v;
  }
}

/**
 * Marks the layers that carry curvatures (ToSphere, ToPoincare, AngularLinear, HypLinear, HypMLR,
 * ProductEmbedding). A registered symbol rather than instanceof, so a layer from another copy of this
 * package is recognised too (as GeoLayersError.isInstance does for errors).
 */
export const CURVATURE_CARRIER: unique symbol = Symbol.for('curvad.geo-layers.curvature-carrier') as never;

/** A layer with one curvature per output (one for most layers, one per component for ProductEmbedding). */
export interface CurvatureCarrier {
  readonly [CURVATURE_CARRIER]: true;
  /**
   * The curvature behind output `component` (omit it for a single-output layer): the CurvatureSlot
   * itself, shared with every layer that reads it, so a learned k has one owner.
   */
  curvatureSlot(component?: number): CurvatureSlot;
}

/** Whether `layer` carries curvatures (see CurvatureCarrier). */
export function isCurvatureCarrier(layer: unknown): layer is tfl.layers.Layer & CurvatureCarrier {
  return typeof layer === 'object' && layer !== null && (layer as Partial<CurvatureCarrier>)[CURVATURE_CARRIER] === true;
}
