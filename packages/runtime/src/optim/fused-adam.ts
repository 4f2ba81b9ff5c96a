import * as tf from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../errors';
import { ADAM_UPDATE, type AdamUpdateAttrs } from './adam-update-loop';
import { activeBackendHasAdamUpdate, registerAdamUpdateKernels } from './register-adam-update';

/** tf.AdamOptimizer's private state (tfjs-core 4.x field names), which this subclass updates as the base class does. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

/** { name: gradient } or [{ name, tensor }], as tf.AdamOptimizer.applyGradients takes them. */
type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/**
 * tf.AdamOptimizer whose update runs as one fused kernel per variable (`CurvadAdamUpdate`: one pass
 * reading x, m, v, g and writing x', m', v') instead of about 14 element-wise kernels, where the
 * active backend has it (cpu and wasm); elsewhere (tfjs-node, webgl, ...) tf.AdamOptimizer's own ops.
 * The results are tf.train.adam's, bit for bit; className, getWeights/setWeights and getConfig are
 * the base class's, so saved optimizer state loads into either.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  constructor(learningRate: number, beta1: number, beta2: number, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
    registerAdamUpdateKernels();
  }

  override applyGradients(variableGradients: VariableGradients): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const gradientOf = (name: string, i: number): tf.Tensor | undefined =>
      (Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name]) ?? undefined;
    const variables = names.map((name, i) => checkedVariable(name, gradientOf(name, i)));
    const state = adamState(this);
    if (state === undefined || !activeBackendHasAdamUpdate()) {
      super.applyGradients(variableGradients);
      return;
    }
    // sub(1, accBeta) of the base class, in float32.
    const biasCorrection1 = Math.fround(1 - state.accBeta1.dataSync()[0]!);
    const biasCorrection2 = Math.fround(1 - state.accBeta2.dataSync()[0]!);
    const attrs: AdamUpdateAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      biasCorrection1,
      biasCorrection2,
    };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const x = variables[i]!;
        // Slots created as the base class creates them (also for a variable without a gradient).
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(x).variable(false)) };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(x).variable(false)) };
        const g = gradientOf(name, i);
        if (g === undefined) return;
        const m = state.accumulatedFirstMoment[i]!.variable;
        const v = state.accumulatedSecondMoment[i]!.variable;
        const [x1, m1, v1] = tf.engine().runKernel(ADAM_UPDATE, { x, m, v, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(m1!);
        v.assign(v1!);
        x.assign(x1!);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/**
 * tf.AdamOptimizer's private state, or undefined where a tfjs-core version names it differently (the
 * optimizer then runs the base class's own update, which is always right).
 */
function adamState(optimizer: tf.AdamOptimizer): AdamState | undefined {
  const state = optimizer as unknown as Partial<AdamState>;
  const ok =
    state.accBeta1 instanceof tf.Tensor &&
    state.accBeta2 instanceof tf.Tensor &&
    Array.isArray(state.accumulatedFirstMoment) &&
    Array.isArray(state.accumulatedSecondMoment);
  return ok ? (state as AdamState) : undefined;
}

/** The registered variable `name`, after checking that its gradient fits it (before any state changes). */
function checkedVariable(name: string, gradient: tf.Tensor | undefined): tf.Variable {
  const variable = tf.engine().registeredVariables[name];
  if (variable === undefined) {
    throw new CurvadRuntimeError(
      `fusedAdam: no variable named '${name}' is registered; pass gradients keyed by tf.Variable names (as tf.variableGrads returns them).`,
    );
  }
  if (variable.dtype !== 'float32') {
    throw new CurvadRuntimeError(
      `fusedAdam updates float32 variables only; '${name}' is ${variable.dtype}. Create it from a float32 tensor.`,
    );
  }
  if (gradient === undefined) return variable;
  if (gradient.dtype !== 'float32') {
    throw new CurvadRuntimeError(
      `fusedAdam: the gradient of '${name}' is ${gradient.dtype}; it must be float32 (tf.cast(gradient, 'float32')).`,
    );
  }
  if (!tf.util.arraysEqual(gradient.shape, variable.shape)) {
    throw new CurvadRuntimeError(
      `fusedAdam: the gradient of '${name}' has shape [${gradient.shape}] but the variable has shape [${variable.shape}]; ` +
        "Adam needs a gradient of the variable's own shape (reshape or reduce it first; no broadcasting).",
    );
  }
  return variable;
}

/**
 * A FusedAdamOptimizer with tf.train.adam's signature and defaults (learning rate 0.001, beta1 0.9,
 * beta2 0.999, epsilon the backend's, 1e-7 in float32).
 */
export function fusedAdam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
