// Gradient checkpointing for one block of a functional model: a layer that runs a sub-model (the
// block) without recording its inside on the gradient tape and, in the backward pass, runs the block
// again from its saved inputs to get the gradients. Only the block's inputs and output stay alive
// between the forward and the backward pass, instead of every activation inside the block and every
// gradient of those activations (tfjs keeps both until the whole backward pass has finished), at the
// price of a second forward pass of the block during backward.
//
// The result is the plain block's: the same kernels run on the same inputs with the same weights. The
// block must be deterministic (no dropout: a second pass would draw another mask). Batch norm's moving
// statistics are updated once, by the first pass: the backward pass restores them after its recompute.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BackboneError } from './errors';

/** How a backbone keeps what its backward pass needs. */
export type MemoryMode = 'store' | 'recompute';

/**
 * The backbone's memory mode (default 'store'). 'recompute' runs every block a second time in the
 * backward pass, so it refuses dropout, which would draw a different mask the second time.
 */
export function requireMemoryMode(backbone: string, memory: unknown, dropRate: number): MemoryMode {
  if (memory === undefined) return 'store';
  if (memory !== 'store' && memory !== 'recompute') {
    throw new BackboneError(`${backbone}: memory must be 'store' or 'recompute', got ${String(memory)}.`);
  }
  if (memory === 'recompute' && dropRate > 0) {
    throw new BackboneError(
      `${backbone}: memory 'recompute' runs each block twice and dropout would draw a different mask the second time; use dropRate 0 or memory 'store' (got dropRate ${dropRate}).`,
    );
  }
  return memory;
}

interface TapeState {
  activeTape: unknown;
}

/**
 * Runs `f` (which computes gradients with tf.engine().gradients) with a tape of its own and puts the
 * engine's current tape back afterwards. Needed because a gradient computation started while an outer
 * backward pass runs replaces the engine's tape and clears it when done, and the outer pass still has
 * to release the tensors its tape saved.
 */
function withOwnTape<T>(f: () => T): T {
  const state = (tf.engine() as unknown as { state: TapeState }).state;
  const outerTape = state.activeTape;
  try {
    return f();
  } finally {
    state.activeTape = outerTape;
  }
}

export interface RecomputedBlockArgs {
  /** The block: a functional model from the block's input(s) to its single output. */
  body: tfl.LayersModel;
  name: string;
}

/**
 * A layer that applies `body` with recomputation in the backward pass. Its weights are the body's
 * weights (same variables, same names), so optimizers, getWeights/setWeights, regularizers and
 * parameter counts see the block as if its layers were inline.
 */
export class RecomputedBlock extends tfl.layers.Layer {
  static readonly className = 'CurvadRecomputedBlock';
  private readonly body: tfl.LayersModel;

  constructor(args: RecomputedBlockArgs) {
    super({ name: args.name });
    this.body = args.body;
    this.built = true;
  }

  override build(): void {
    this.built = true;
  }

  override get trainableWeights(): tfl.LayerVariable[] {
    return this.trainable ? this.body.trainableWeights : [];
  }

  override get nonTrainableWeights(): tfl.LayerVariable[] {
    return this.trainable ? this.body.nonTrainableWeights : this.body.weights;
  }

  override get trainable(): boolean {
    return this.body.trainable;
  }

  override set trainable(trainable: boolean) {
    // The base class's constructor sets trainable before `body` exists.
    if (this.body !== undefined) this.body.trainable = trainable;
  }

  override calculateLosses(): tf.Scalar[] {
    return this.body.calculateLosses();
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return this.body.computeOutputShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const training = kwargs.training === true;
    const variables = this.body.trainableWeights.map((w) => w.read());
    const run = (blockInputs: tf.Tensor[]): tf.Tensor =>
      this.body.apply(blockInputs.length === 1 ? blockInputs[0]! : blockInputs, { training }) as tf.Tensor;
    const recomputed = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const save = args.pop() as tf.GradSaveFunc;
      const blockInputs = args.slice(0, xs.length) as tf.Tensor[];
      save(blockInputs);
      const value = run(blockInputs);
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] =>
        tf.tidy(() => {
          const movingStatistics = this.body.nonTrainableWeights.map((w) => [w, w.read().clone()] as const);
          const { grads } = withOwnTape(() => tf.engine().gradients(() => run(saved), [...saved, ...variables], dy, true));
          for (const [w, value] of movingStatistics) w.write(value);
          return grads.map((g, i) => g ?? tf.zerosLike([...saved, ...variables][i]!));
        });
      return { value, gradFunc };
    });
    return recomputed(...xs, ...variables);
  }

  override getConfig(): tf.serialization.ConfigDict {
    throw new BackboneError(
      `layer ${this.name}: a backbone built with memory: 'recompute' cannot be serialized as a topology; ` +
        "build the same backbone with memory: 'store' and copy the weights (getWeights/setWeights) to save it.",
    );
  }

  override dispose(): ReturnType<tfl.layers.Layer['dispose']> {
    const result = super.dispose();
    if (result.refCountAfterDispose === 0) {
      result.numDisposedVariables = this.body.dispose().numDisposedVariables;
    }
    return result;
  }

  override disposeWeights(): number {
    return 0;
  }
}

/**
 * Builds a block `(inputs) => output` from fresh symbolic inputs of `inputs`' shapes as a sub-model,
 * wraps it in a RecomputedBlock and applies that to `inputs`.
 */
export function recomputedBlock(
  name: string,
  inputs: tfl.SymbolicTensor[],
  block: (blockInputs: tfl.SymbolicTensor[]) => tfl.SymbolicTensor,
): tfl.SymbolicTensor {
  const blockInputs = inputs.map((x, i) => tfl.input({ shape: x.shape.slice(1) as number[], name: `${name}_in${i + 1}` }));
  const body = tfl.model({ inputs: blockInputs, outputs: block(blockInputs), name: `${name}_body` });
  const layer = new RecomputedBlock({ body, name });
  // A copy: tfjs-layers keeps the array it was given, and callers may append to theirs afterwards.
  return layer.apply(inputs.length === 1 ? inputs[0]! : [...inputs]) as tfl.SymbolicTensor;
}
