import type { TensorInfo } from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../errors';

/** Throws unless x, m, v and g are float32 tensors of one shape (the kernel's contract). */
export function checkAdamUpdateInputs(inputs: { x: TensorInfo; m: TensorInfo; v: TensorInfo; g: TensorInfo }): void {
  const { x } = inputs;
  for (const [name, info] of Object.entries(inputs)) {
    if (info.dtype !== 'float32') {
      throw new CurvadRuntimeError(
        `CurvadAdamUpdate needs float32 inputs, got ${name} of dtype ${info.dtype}; cast it with tf.cast(t, 'float32').`,
      );
    }
    if (info.shape.length !== x.shape.length || info.shape.some((d, i) => d !== x.shape[i])) {
      throw new CurvadRuntimeError(`CurvadAdamUpdate needs x, m, v and g of one shape, got ${name} [${info.shape}] and x [${x.shape}].`);
    }
  }
}
