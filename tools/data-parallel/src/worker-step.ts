import * as tf from '@tensorflow/tfjs-core';
import type { StepRequest } from './data-parallel-protocol';
import { type DataParallelLoss, type ShardModel, shardGradients, trainableVariables } from './shard-gradients';

/**
 * One step of a worker thread: loads the sent weights into the model's variables, then returns its
 * shard's loss and gradients as own Float32Array copies (transferable). Leaves no tensor behind: a
 * worker serves every step of a training run.
 */
export function workerStep(model: ShardModel, loss: DataParallelLoss, request: StepRequest): { loss: number; grads: Float32Array[] } {
  const variables = trainableVariables(model);
  if (request.weights.length !== variables.length) {
    throw new Error(`received ${request.weights.length} weight arrays for ${variables.length} trainable weights`);
  }
  // assign() shares the new tensor's data with the variable: tidy disposes the tensor objects, the variables keep the data.
  tf.tidy(() => {
    for (const [i, v] of variables.entries()) v.assign(tf.tensor(request.weights[i]!, v.shape, 'float32'));
  });
  const x = tf.tensor(request.x.values, request.x.shape, request.x.dtype);
  const y = tf.tensor(request.y.values, request.y.shape, request.y.dtype);
  try {
    const shard = shardGradients(model, loss, x, y);
    // Own copies: on the cpu backend dataSync returns the tensor's storage, which must not be transferred.
    const grads = shard.grads.map((g) => new Float32Array(g.dataSync()));
    tf.dispose(shard.grads);
    return { loss: shard.loss, grads };
  } finally {
    tf.dispose([x, y]);
  }
}
