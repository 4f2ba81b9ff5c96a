/**
 * Shared machinery of `RiemannianSGD` and `RiemannianAdam` (Becigneul & Ganea 2019, "Riemannian
 * Adaptive Optimization Methods"): which variables live on which manifold, and how a variable's
 * values are viewed as rows of points.
 *
 * A variable is registered with `optimizer.register(variable, manifold)`; every other trainable
 * variable is updated by the ordinary Euclidean rule (bit-for-bit tf.train.sgd / momentum / adam).
 * Registrations are runtime state, like the variables themselves: `getConfig()` carries only the
 * hyperparameters, so re-register after `fromConfig` or after loading a model.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ManifoldError } from '../errors';
import type { Manifold } from '../manifold';

/**
 * How a variable's values are points: `'rows'` (default) reads the last axis as the point, so a
 * [n, dim] variable holds n points (a [dim] variable holds one); `'columns'` reads each column of a
 * rank-2 variable as a point, as for a dense kernel [dim, classes] whose columns are class vectors.
 */
export type PointLayout = 'rows' | 'columns';

export interface RegisterOptions {
  layout?: PointLayout;
  /** Project the variable onto the manifold now (default true), so it starts on it. */
  projectNow?: boolean;
}

/** A named tensor, as tfjs passes gradients and optimizer weights. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Anything with the name of a tf.Variable: the variable itself, a tfjs-layers LayerVariable, or the name. */
export type VariableRef = string | { readonly name: string };

export interface Registration {
  readonly manifold: Manifold;
  readonly layout: PointLayout;
}

/** How a moving point steps along a tangent: the exact exponential map or the manifold's retraction. */
export type StepRule = 'expmap' | 'retract';

const MANIFOLD_METHODS = ['project', 'egrad2rgrad', 'expmap', 'retract', 'transp', 'inner'] as const;

export abstract class RiemannianOptimizer extends tf.Optimizer {
  private readonly registrations = new Map<string, Registration>();

  /**
   * Declare that `variable` lives on `manifold`: from now on every step keeps it there (projected
   * before the step, moved along the exponential map or retraction, projected after). Returns the
   * optimizer, so calls chain.
   */
  register(variable: VariableRef, manifold: Manifold, options: RegisterOptions = {}): this {
    const name = typeof variable === 'string' ? variable : variable?.name;
    if (typeof name !== 'string' || name.length === 0) {
      throw new ManifoldError(
        `${this.getClassName()}.register: expected a tf.Variable, a LayerVariable or a variable name, got ${String(variable)}`,
      );
    }
    for (const method of MANIFOLD_METHODS) {
      if (typeof (manifold as unknown as Record<string, unknown>)?.[method] !== 'function') {
        throw new ManifoldError(
          `${this.getClassName()}.register('${name}'): the manifold has no ${method}() method; pass a Manifold such as new Sphere(1) or new PoincareBall(1)`,
        );
      }
    }
    const layout = options.layout ?? 'rows';
    if (layout !== 'rows' && layout !== 'columns') {
      throw new ManifoldError(`${this.getClassName()}.register('${name}'): layout must be 'rows' or 'columns', got '${String(layout)}'`);
    }
    const value = tf.engine().registeredVariables[name];
    if (value != null) {
      checkLayout(this.getClassName(), name, value.shape, layout);
      if (options.projectNow ?? true) {
        tf.tidy(() => value.assign(fromRows(manifold.project(toRows(value, layout)), value.shape, layout)));
      }
    }
    this.registrations.set(name, { manifold, layout });
    return this;
  }

  /** The manifold a variable was registered on, or `undefined` for an ordinary parameter. */
  manifoldOf(variable: VariableRef): Manifold | undefined {
    const name = typeof variable === 'string' ? variable : variable.name;
    return this.registrations.get(name)?.manifold;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    this.beginStep();
    names.forEach((name, i) => {
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
      if (gradient == null) return;
      const value = tf.engine().registeredVariables[name];
      if (value == null) {
        throw new ManifoldError(`${this.getClassName()}: no variable named '${name}' is registered with tfjs (was it disposed?)`);
      }
      const registration = this.registrations.get(name);
      tf.tidy(() => {
        if (registration == null) {
          this.euclideanUpdate(name, value, gradient);
        } else {
          checkLayout(this.getClassName(), name, value.shape, registration.layout);
          const rows = registration.manifold.project(toRows(value, registration.layout));
          const rowGradient = toRows(gradient, registration.layout);
          const newRows = this.riemannianUpdate(name, registration.manifold, rows, rowGradient);
          value.assign(fromRows(newRows, value.shape, registration.layout));
        }
      });
    });
    this.endStep();
    this.incrementIterations();
  }

  /** Called once per step before the variables are updated (inside no tidy). */
  protected beginStep(): void {}
  /** Called once per step after the variables are updated (inside no tidy). */
  protected endStep(): void {}
  /** Update an ordinary parameter in place (called inside tf.tidy). */
  protected abstract euclideanUpdate(name: string, value: tf.Variable, gradient: tf.Tensor): void;
  /**
   * Return the new rows of a manifold parameter (called inside tf.tidy). `rows` [n, dim] are the
   * projected current points, `gradient` [n, dim] the Euclidean gradient in the same layout.
   */
  protected abstract riemannianUpdate(name: string, manifold: Manifold, rows: tf.Tensor, gradient: tf.Tensor): tf.Tensor;

  /** Move rows along tangents by the chosen rule and land back on the manifold (ball: inside with margin). */
  protected static move(manifold: Manifold, rows: tf.Tensor, tangent: tf.Tensor, rule: StepRule): tf.Tensor {
    const moved = rule === 'expmap' ? manifold.expmap(rows, tangent) : manifold.retract(rows, tangent);
    return manifold.project(moved);
  }
}

function checkLayout(optimizer: string, name: string, shape: number[], layout: PointLayout): void {
  if (shape.length < 1) {
    throw new ManifoldError(`${optimizer}: variable '${name}' is a scalar; a manifold parameter needs at least one axis of coordinates`);
  }
  if (layout === 'columns' && shape.length !== 2) {
    throw new ManifoldError(`${optimizer}: variable '${name}' has shape [${shape.join(', ')}]; layout 'columns' needs a rank-2 variable`);
  }
}

/** View a tensor as [n, dim] rows of points. */
export function toRows(x: tf.Tensor, layout: PointLayout): tf.Tensor2D {
  if (layout === 'columns') return tf.transpose(x as tf.Tensor2D);
  const dim = x.shape[x.rank - 1] as number;
  return tf.reshape(x, [-1, dim]);
}

/** Inverse of toRows. */
export function fromRows(rows: tf.Tensor, shape: number[], layout: PointLayout): tf.Tensor {
  if (layout === 'columns') return tf.transpose(rows);
  return tf.reshape(rows, shape);
}
