/**
 * Riemannian SGD (Bonnabel 2013; with momentum as in Becigneul & Ganea 2019, Alg. 1 without the
 * adaptive term): for a parameter x on a manifold,
 *   g = egrad2rgrad(x, grad);  b = momentum * b + g;  x' = project(exp_x(-lr * b));  b = P_{x -> x'}(b)
 * where P is parallel transport, so the momentum stays a tangent vector at the current point.
 * With momentum 0 this is x' = project(exp_x(-lr * g)).
 *
 * Ordinary (unregistered) parameters get exactly tf.train.sgd (momentum 0) or tf.train.momentum.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ManifoldError } from '../errors';
import type { Manifold } from '../manifold';
import { type NamedTensor, RiemannianOptimizer, type StepRule } from './riemannian-optimizer';

export interface RiemannianSGDOptions {
  learningRate: number;
  /** Heavy-ball momentum in [0, 1) (default 0). */
  momentum?: number;
  /** Move manifold parameters by the exponential map (default, as in the paper) or the retraction. */
  stepRule?: StepRule;
}

export class RiemannianSGD extends RiemannianOptimizer {
  static get className(): string {
    return 'RiemannianSGD';
  }

  readonly learningRate: number;
  readonly momentum: number;
  readonly stepRule: StepRule;
  private readonly negativeLearningRate: tf.Scalar;
  private readonly momentumScalar: tf.Scalar;
  private readonly buffers = new Map<string, tf.Variable>();

  constructor(options: RiemannianSGDOptions) {
    super();
    const { learningRate, momentum = 0, stepRule = 'expmap' } = options ?? ({} as RiemannianSGDOptions);
    if (!Number.isFinite(learningRate) || learningRate < 0) {
      throw new ManifoldError(`RiemannianSGD: learningRate must be a finite number >= 0, got ${String(learningRate)}`);
    }
    if (!Number.isFinite(momentum) || momentum < 0 || momentum >= 1) {
      throw new ManifoldError(`RiemannianSGD: momentum must be in [0, 1), got ${String(momentum)}`);
    }
    if (stepRule !== 'expmap' && stepRule !== 'retract') {
      throw new ManifoldError(`RiemannianSGD: stepRule must be 'expmap' or 'retract', got '${String(stepRule)}'`);
    }
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.stepRule = stepRule;
    this.negativeLearningRate = tf.keep(tf.scalar(-learningRate));
    this.momentumScalar = tf.keep(tf.scalar(momentum));
  }

  protected euclideanUpdate(name: string, value: tf.Variable, gradient: tf.Tensor): void {
    if (this.momentum === 0) {
      // The same ops in the same order as tf.train.sgd, so the results are identical.
      value.assign(tf.add(tf.mul(this.negativeLearningRate, gradient), value));
      return;
    }
    const buffer = this.bufferOf(name, value.shape);
    // As tf.train.momentum (not Nesterov).
    const newBuffer = tf.add(tf.mul(this.momentumScalar, buffer), gradient);
    buffer.assign(newBuffer);
    value.assign(tf.add(tf.mul(this.negativeLearningRate, newBuffer), value));
  }

  protected riemannianUpdate(name: string, manifold: Manifold, rows: tf.Tensor, gradient: tf.Tensor): tf.Tensor {
    const riemannianGradient = manifold.egrad2rgrad(rows, gradient);
    if (this.momentum === 0) {
      return RiemannianOptimizer.move(manifold, rows, tf.mul(this.negativeLearningRate, riemannianGradient), this.stepRule);
    }
    const buffer = this.bufferOf(name, rows.shape);
    const newBuffer = tf.add(tf.mul(this.momentumScalar, buffer), riemannianGradient);
    const newRows = RiemannianOptimizer.move(manifold, rows, tf.mul(this.negativeLearningRate, newBuffer), this.stepRule);
    buffer.assign(manifold.transp(rows, newRows, newBuffer));
    return newRows;
  }

  private bufferOf(name: string, shape: number[]): tf.Variable {
    let buffer = this.buffers.get(name);
    if (buffer != null && !tf.util.arraysEqual(buffer.shape, shape)) {
      // The variable changed layout (e.g. registered after some Euclidean steps): restart its momentum.
      buffer.dispose();
      buffer = undefined;
    }
    if (buffer == null) {
      buffer = tf.tidy(() => tf.variable(tf.zeros(shape), false));
      this.buffers.set(name, buffer);
    }
    return buffer;
  }

  override dispose(): void {
    super.dispose();
    this.negativeLearningRate.dispose();
    this.momentumScalar.dispose();
    tf.dispose([...this.buffers.values()]);
    this.buffers.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const buffers = [...this.buffers.entries()].map(([name, tensor]) => ({ name: `${name}/momentum`, tensor }));
    return [await this.saveIterations(), ...buffers];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    for (const { name, tensor } of rest) {
      const variableName = name.replace(/\/momentum$/, '');
      this.buffers.get(variableName)?.dispose();
      this.buffers.set(variableName, tf.variable(tensor, false));
    }
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, momentum: this.momentum, stepRule: this.stepRule };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config as unknown as RiemannianSGDOptions);
  }
}

tf.serialization.registerClass(RiemannianSGD);
