/**
 * Riemannian Adam (Becigneul & Ganea 2019, "Riemannian Adaptive Optimization Methods", Alg. 1-2,
 * as geoopt implements it). For a parameter x on a manifold, step t:
 *   x  = project(x)                          (geoopt PR #247: avoids NaN after float drift)
 *   g  = egrad2rgrad(x, grad)                (Riemannian gradient)
 *   m  = beta1 m + (1 - beta1) g
 *   v  = beta2 v + (1 - beta2) <g, g>_x      (one scalar per point: the paper's choice)
 *   x' = project(exp_x(-lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)))
 *   m  = P_{x -> x'}(m)                      (parallel transport of the first moment)
 * The second moment is a scalar per point (per row), the squared Riemannian norm of the gradient,
 * as in the paper; geoopt instead keeps it per coordinate (`component_inner`), which is not
 * intrinsic. v needs no transport: it is a scalar.
 *
 * Ordinary (unregistered) parameters get exactly tf.train.adam: the same ops in the same order.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ManifoldError } from '../errors';
import type { Manifold } from '../manifold';
import { type NamedTensor, RiemannianOptimizer, type StepRule } from './riemannian-optimizer';

export interface RiemannianAdamOptions {
  /** Default 0.001, as tf.train.adam. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Added to sqrt(v); default the backend's epsilon (1e-7 in float32), as tf.train.adam. */
  epsilon?: number;
  /** Move manifold parameters by the exponential map (default, as in the paper) or the retraction. */
  stepRule?: StepRule;
}

interface Moments {
  first: tf.Variable;
  second: tf.Variable;
}

export class RiemannianAdam extends RiemannianOptimizer {
  static get className(): string {
    return 'RiemannianAdam';
  }

  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly stepRule: StepRule;
  /** beta^t, updated in float32 after each step exactly as tf.train.adam does. */
  private readonly accBeta1: tf.Variable;
  private readonly accBeta2: tf.Variable;
  private oneMinusAccBeta1: tf.Tensor | null = null;
  private oneMinusAccBeta2: tf.Tensor | null = null;
  private readonly moments = new Map<string, Moments>();

  constructor(options: RiemannianAdamOptions = {}) {
    super();
    const { learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, stepRule = 'expmap' } = options;
    const epsilon = options.epsilon ?? tf.backend().epsilon();
    const inUnit = (b: number) => Number.isFinite(b) && b >= 0 && b < 1;
    if (!Number.isFinite(learningRate) || learningRate < 0) {
      throw new ManifoldError(`RiemannianAdam: learningRate must be a finite number >= 0, got ${String(learningRate)}`);
    }
    if (!inUnit(beta1) || !inUnit(beta2)) {
      throw new ManifoldError(`RiemannianAdam: beta1 and beta2 must be in [0, 1), got ${String(beta1)} and ${String(beta2)}`);
    }
    if (!Number.isFinite(epsilon) || epsilon <= 0) {
      throw new ManifoldError(`RiemannianAdam: epsilon must be a finite number > 0, got ${String(epsilon)}`);
    }
    if (stepRule !== 'expmap' && stepRule !== 'retract') {
      throw new ManifoldError(`RiemannianAdam: stepRule must be 'expmap' or 'retract', got '${String(stepRule)}'`);
    }
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.stepRule = stepRule;
    this.accBeta1 = tf.tidy(() => tf.scalar(beta1).variable(false));
    this.accBeta2 = tf.tidy(() => tf.scalar(beta2).variable(false));
  }

  protected override beginStep(): void {
    this.oneMinusAccBeta1 = tf.keep(tf.sub(1, this.accBeta1));
    this.oneMinusAccBeta2 = tf.keep(tf.sub(1, this.accBeta2));
  }

  protected override endStep(): void {
    tf.dispose([this.oneMinusAccBeta1!, this.oneMinusAccBeta2!]);
    this.oneMinusAccBeta1 = null;
    this.oneMinusAccBeta2 = null;
    tf.tidy(() => {
      this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
      this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
    });
  }

  protected euclideanUpdate(name: string, value: tf.Variable, gradient: tf.Tensor): void {
    const { first, second } = this.momentsOf(name, value.shape, value.shape);
    const newFirst = tf.add(tf.mul(first, this.beta1), tf.mul(gradient, 1 - this.beta1));
    const newSecond = tf.add(tf.mul(second, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
    const correctedFirst = tf.div(newFirst, this.oneMinusAccBeta1!);
    const correctedSecond = tf.div(newSecond, this.oneMinusAccBeta2!);
    first.assign(newFirst);
    second.assign(newSecond);
    value.assign(tf.add(tf.mul(tf.div(correctedFirst, tf.add(tf.sqrt(correctedSecond), this.epsilon)), -this.learningRate), value));
  }

  protected riemannianUpdate(name: string, manifold: Manifold, rows: tf.Tensor, gradient: tf.Tensor): tf.Tensor {
    const pointCount = rows.shape[0] as number;
    const { first, second } = this.momentsOf(name, rows.shape, [pointCount, 1]);
    const riemannianGradient = manifold.egrad2rgrad(rows, gradient);
    const squaredNorm = tf.reshape(manifold.inner(rows, riemannianGradient, riemannianGradient), [pointCount, 1]);
    const newFirst = tf.add(tf.mul(first, this.beta1), tf.mul(riemannianGradient, 1 - this.beta1));
    const newSecond = tf.add(tf.mul(second, this.beta2), tf.mul(squaredNorm, 1 - this.beta2));
    const correctedFirst = tf.div(newFirst, this.oneMinusAccBeta1!);
    const correctedSecond = tf.div(newSecond, this.oneMinusAccBeta2!);
    const direction = tf.div(correctedFirst, tf.add(tf.sqrt(correctedSecond), this.epsilon));
    const newRows = RiemannianOptimizer.move(manifold, rows, tf.mul(direction, -this.learningRate), this.stepRule);
    first.assign(manifold.transp(rows, newRows, newFirst));
    second.assign(newSecond);
    return newRows;
  }

  private momentsOf(name: string, firstShape: number[], secondShape: number[]): Moments {
    let moments = this.moments.get(name);
    if (
      moments != null &&
      (!tf.util.arraysEqual(moments.first.shape, firstShape) || !tf.util.arraysEqual(moments.second.shape, secondShape))
    ) {
      // The variable changed layout (e.g. registered after some Euclidean steps): restart its moments.
      tf.dispose([moments.first, moments.second]);
      moments = undefined;
    }
    if (moments == null) {
      moments = tf.tidy(() => ({
        first: tf.variable(tf.zeros(firstShape), false),
        second: tf.variable(tf.zeros(secondShape), false),
      }));
      this.moments.set(name, moments);
    }
    return moments;
  }

  override dispose(): void {
    super.dispose();
    tf.dispose([this.accBeta1, this.accBeta2]);
    for (const { first, second } of this.moments.values()) tf.dispose([first, second]);
    this.moments.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const entries = [...this.moments.entries()];
    return [
      await this.saveIterations(),
      ...entries.map(([name, m]) => ({ name: `${name}/m`, tensor: m.first })),
      ...entries.map(([name, m]) => ({ name: `${name}/v`, tensor: m.second })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    tf.tidy(() => {
      this.accBeta1.assign(tf.pow(this.beta1, this.iterations + 1));
      this.accBeta2.assign(tf.pow(this.beta2, this.iterations + 1));
    });
    const firsts = new Map<string, tf.Tensor>();
    const seconds = new Map<string, tf.Tensor>();
    for (const { name, tensor } of rest) {
      if (name.endsWith('/m')) firsts.set(name.slice(0, -2), tensor);
      else if (name.endsWith('/v')) seconds.set(name.slice(0, -2), tensor);
      else throw new ManifoldError(`RiemannianAdam.setWeights: unexpected weight '${name}' (expected '<variable>/m' or '<variable>/v')`);
    }
    for (const [name, first] of firsts) {
      const second = seconds.get(name);
      if (second == null) throw new ManifoldError(`RiemannianAdam.setWeights: '${name}/m' has no matching '${name}/v'`);
      const old = this.moments.get(name);
      if (old != null) tf.dispose([old.first, old.second]);
      this.moments.set(name, { first: tf.variable(first, false), second: tf.variable(second, false) });
    }
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      stepRule: this.stepRule,
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config as unknown as RiemannianAdamOptions);
  }
}

tf.serialization.registerClass(RiemannianAdam);
