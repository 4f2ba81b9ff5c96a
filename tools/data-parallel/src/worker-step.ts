import { float32View } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type { StepRequest, WorkerStepTimings } from './data-parallel-protocol';
import { flatOffsets } from './flat-weights';
import { type DataParallelLoss, type ShardModel, shardGradients, trainableVariables } from './shard-gradients';

/** values *= scale, element by element; returns values. */
export function scaleInto(values: Float32Array, scale: number, out: Float32Array, offset: number): void {
  for (let k = 0; k < values.length; k++) out[offset + k] = values[k]! * scale;
}

/**
 * One step of a worker thread: loads `weights` (all trainable weights back to back, in
 * trainableWeights order) into the model's variables, computes its shard's loss and gradients, and
 * writes the gradients times `request.scale` into `gradsOut` (same layout). Leaves no tensor behind:
 * a worker serves every step of a training run.
 */
export function workerStep(
  model: ShardModel,
  loss: DataParallelLoss,
  weights: Float32Array,
  gradsOut: Float32Array,
  request: StepRequest,
): { loss: number; timings: WorkerStepTimings } {
  const variables = trainableVariables(model);
  const offsets = flatOffsets(variables);
  const total = offsets[variables.length]!;
  if (weights.length !== total || gradsOut.length !== total) {
    throw new Error(
      `shared buffers hold ${weights.length} weights and ${gradsOut.length} gradients for a model of ${total} trainable values`,
    );
  }
  const t0 = performance.now();
  // assign() shares the new tensor's data with the variable: tidy disposes the tensor objects, the variables keep the data.
  tf.tidy(() => {
    for (const [i, v] of variables.entries()) v.assign(tf.tensor(weights.subarray(offsets[i]!, offsets[i + 1]!), v.shape, 'float32'));
  });
  const x = tf.tensor(request.x.values, request.x.shape, request.x.dtype);
  const y = tf.tensor(request.y.values, request.y.shape, request.y.dtype);
  try {
    const t1 = performance.now();
    const shard = shardGradients(model, loss, x, y);
    const t2 = performance.now();
    // Read in place (float32View: no copy out of the heap, whose fresh pages cost ~100 ms a
    // ResNet-18 step in page faults) and scaled straight into shared memory.
    for (const [i, g] of shard.grads.entries()) scaleInto(float32View(g), request.scale, gradsOut, offsets[i]!);
    tf.dispose(shard.grads);
    const t3 = performance.now();
    return { loss: shard.loss, timings: { loadMs: t1 - t0, computeMs: t2 - t1, writeMs: t3 - t2 } };
  } finally {
    tf.dispose([x, y]);
  }
}
