import * as tf from '@tensorflow/tfjs-core';

/** Losses a data-parallel trainer can use: functions cannot be sent to worker threads, names can. */
export const DATA_PARALLEL_LOSSES = {
  /** Softmax cross-entropy of logits against one-hot (or soft) labels, mean over the batch. */
  softmaxCrossEntropy: (labels: tf.Tensor, predictions: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, predictions),
  /** Sigmoid cross-entropy of logits against 0/1 labels, mean over all entries. */
  sigmoidCrossEntropy: (labels: tf.Tensor, predictions: tf.Tensor) => tf.losses.sigmoidCrossEntropy(labels, predictions),
  /** Mean squared error, mean over all entries. */
  meanSquaredError: (labels: tf.Tensor, predictions: tf.Tensor) => tf.losses.meanSquaredError(labels, predictions),
} as const;

export type DataParallelLoss = keyof typeof DATA_PARALLEL_LOSSES;

/** The part of a tfjs-layers model a shard needs (typed structurally: tfjs-layers is a peer). */
export interface ShardModel {
  apply(inputs: tf.Tensor, kwargs: { training: boolean }): tf.Tensor | tf.Tensor[] | unknown;
  /** `read()` gives the tf.Variable (typed loosely: tfjs-layers may see another copy of tfjs-core's types). */
  readonly trainableWeights: ReadonlyArray<{ read(): unknown }>;
}

/** The model's trainable variables, in order. */
export function trainableVariables(model: ShardModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * Loss and gradients (in `model.trainableWeights` order) of one shard of a batch. The caller owns
 * the gradients.
 */
export function shardGradients(
  model: ShardModel,
  loss: DataParallelLoss,
  x: tf.Tensor,
  y: tf.Tensor,
): { loss: number; grads: tf.Tensor[] } {
  const variables = trainableVariables(model);
  const { value, grads } = tf.variableGrads(
    () => DATA_PARALLEL_LOSSES[loss](y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    variables,
  );
  const lossValue = value.dataSync()[0]!;
  value.dispose();
  return { loss: lossValue, grads: variables.map((v) => grads[v.name]!) };
}
