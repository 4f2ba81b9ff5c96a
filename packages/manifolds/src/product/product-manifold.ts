/**
 * `ProductManifold`: a point is the concatenation, along the last axis, of one point per component
 * manifold (e.g. a sphere part and a Poincare-ball part, as in the paper's mixed heads MiO / MiT).
 *
 * Every operation splits its inputs by the component dims, applies the component's operation and
 * concatenates. The product metric is the sum of the component metrics, so inner products add and
 * the distance is sqrt(sum_i d_i^2) (the paper's Eq. 11 combines scores the same way).
 */
import * as tf from '@tensorflow/tfjs-core';

import { ManifoldError } from '../errors';
import type { Manifold, ManifoldCheck } from '../manifold';

/** One factor of a product: the manifold and how many coordinates of the last axis it owns. */
export interface ProductComponent {
  manifold: Manifold;
  dim: number;
}

/**
 * Floor under the summed squared distances before the square root: the gradient of sqrt is
 * infinite at 0 (on the diagonal), and 1e-30 is a normal float32 whose root (1e-15) is far below
 * any distance that matters.
 */
export const PRODUCT_DIST_SQ_FLOOR = 1e-30;

export class ProductManifold implements Manifold {
  readonly name: string;
  /** A product has no single curvature: `NaN` (see each component's `k`). */
  readonly k = Number.NaN;
  readonly components: readonly ProductComponent[];
  /** Total dim: the sum of the component dims. */
  readonly dim: number;

  /** Components as `{ manifold, dim }` objects or `[manifold, dim]` pairs, in axis order. */
  constructor(components: ReadonlyArray<ProductComponent | readonly [Manifold, number]>) {
    if (!Array.isArray(components) || components.length === 0) {
      throw new ManifoldError('ProductManifold needs at least one component, e.g. [[new Sphere(1), 8], [new PoincareBall(1), 8]]');
    }
    this.components = components.map((component, i) => {
      const { manifold, dim } = Array.isArray(component)
        ? { manifold: component[0] as Manifold, dim: component[1] as number }
        : (component as ProductComponent);
      if (manifold == null || typeof manifold.dist !== 'function') {
        throw new ManifoldError(`ProductManifold: component ${i} is not a Manifold`);
      }
      if (!Number.isInteger(dim) || dim < 1) {
        throw new ManifoldError(`ProductManifold: component ${i} (${manifold.name}) needs a positive integer dim, got ${String(dim)}`);
      }
      return { manifold, dim };
    });
    this.dim = this.components.reduce((sum, c) => sum + c.dim, 0);
    this.name = `Product(${this.components.map((c) => `${c.manifold.name}^${c.dim}`).join(' x ')})`;
  }

  /** Split x [..., dim] into one tensor per component, [..., dim_i] each (the caller disposes them). */
  split(x: tf.Tensor): tf.Tensor[] {
    this.checkDim('split', x);
    if (this.components.length === 1) return [tf.clone(x)];
    return tf.split(
      x,
      this.components.map((c) => c.dim),
      -1,
    );
  }

  project(x: tf.Tensor): tf.Tensor {
    return this.mapPoints('project', [x], (m, [xi]) => m.project(xi!));
  }

  egrad2rgrad(x: tf.Tensor, g: tf.Tensor): tf.Tensor {
    return this.mapPoints('egrad2rgrad', [x, g], (m, [xi, gi]) => m.egrad2rgrad(xi!, gi!));
  }

  expmap(x: tf.Tensor, u: tf.Tensor): tf.Tensor {
    return this.mapPoints('expmap', [x, u], (m, [xi, ui]) => m.expmap(xi!, ui!));
  }

  retract(x: tf.Tensor, u: tf.Tensor): tf.Tensor {
    return this.mapPoints('retract', [x, u], (m, [xi, ui]) => m.retract(xi!, ui!));
  }

  logmap(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
    return this.mapPoints('logmap', [x, y], (m, [xi, yi]) => m.logmap(xi!, yi!));
  }

  transp(x: tf.Tensor, y: tf.Tensor, v: tf.Tensor): tf.Tensor {
    return this.mapPoints('transp', [x, y, v], (m, [xi, yi, vi]) => m.transp(xi!, yi!, vi!));
  }

  /** sqrt(sum_i d_i(x_i, y_i)^2), shape [batch]; the square root is floored for a finite gradient at x = y. */
  dist(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const perComponent = this.componentDists(x, y);
      const sumSq = tf.addN(perComponent.map((d) => tf.square(d)));
      return tf.sqrt(tf.maximum(sumSq, PRODUCT_DIST_SQ_FLOOR));
    });
  }

  /** Distances of each component, one [batch] tensor per component (for scores that weigh them). */
  componentDists(x: tf.Tensor, y: tf.Tensor): tf.Tensor[] {
    this.checkDim('componentDists', x);
    this.checkDim('componentDists', y);
    const xs = this.split(x);
    const ys = this.split(y);
    const dists = this.components.map((c, i) => c.manifold.dist(xs[i]!, ys[i]!));
    tf.dispose([...xs, ...ys]);
    return dists;
  }

  /** Sum of the component inner products, shape [batch]. */
  inner(x: tf.Tensor, u: tf.Tensor, v: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      for (const t of [x, u, v]) this.checkDim('inner', t);
      const [xs, us, vs] = [this.split(x), this.split(u), this.split(v)];
      return tf.addN(this.components.map((c, i) => c.manifold.inner(xs[i]!, us[i]!, vs[i]!)));
    });
  }

  /** Every component must pass its own check; the reason names the first failing component. */
  checkPointOnManifold(x: tf.Tensor, tol?: number): ManifoldCheck {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.dim) {
      return { ok: false, reason: `${this.name}: expected last dim ${this.dim}, got shape [${x.shape.join(', ')}]` };
    }
    const parts = this.split(x);
    try {
      for (let i = 0; i < parts.length; i += 1) {
        const { manifold } = this.components[i]!;
        const check = manifold.checkPointOnManifold(parts[i]!, tol);
        if (!check.ok) return { ok: false, reason: `${this.name}, component ${i}: ${check.reason ?? 'not on the manifold'}` };
      }
      return { ok: true };
    } finally {
      tf.dispose(parts);
    }
  }

  /** Throw a ManifoldError with the reason unless every component is on its manifold. */
  assertOnManifold(x: tf.Tensor, tol?: number): void {
    const check = this.checkPointOnManifold(x, tol);
    if (!check.ok) throw new ManifoldError(check.reason ?? `${this.name}: point not on the manifold`);
  }

  private mapPoints(op: string, inputs: tf.Tensor[], apply: (m: Manifold, parts: tf.Tensor[]) => tf.Tensor): tf.Tensor {
    for (const t of inputs) this.checkDim(op, t);
    return tf.tidy(() => {
      const split = inputs.map((t) => this.split(t));
      const outputs = this.components.map((c, i) =>
        apply(
          c.manifold,
          split.map((parts) => parts[i]!),
        ),
      );
      return outputs.length === 1 ? outputs[0]! : tf.concat(outputs, -1);
    });
  }

  private checkDim(op: string, x: tf.Tensor): void {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.dim) {
      throw new ManifoldError(
        `${this.name}.${op}: expected last dim ${this.dim} (${this.components.map((c) => c.dim).join(' + ')}), ` +
          `got shape [${x.shape.join(', ')}]`,
      );
    }
  }
}
