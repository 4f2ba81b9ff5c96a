import * as tf from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../errors';

/** The parts of the wasm and cpu backends a view needs (typed structurally: both are optional). */
interface ViewableBackend {
  dataIdMap?: { has(dataId: object): boolean; get(dataId: object): { memoryOffset?: number } | undefined };
  wasm?: { HEAPU8?: Uint8Array };
  data?: { has(dataId: object): boolean; get(dataId: object): { values?: unknown } | undefined };
}

/**
 * The values of a float32 tensor as a Float32Array, without a copy where the active backend keeps
 * them in memory JS can see: a view of the wasm heap, or the cpu backend's own array; `dataSync()`
 * (a copy) elsewhere.
 *
 * Why: `dataSync()` on wasm copies into a new array, and arrays of several MB are fresh pages from
 * the OS each time (glibc mmaps them): reading a ResNet-18's 11.2M weights or gradients that way every
 * step cost about 100 ms in page faults in DataParallelTrainer.
 *
 * Read it at once and never write to it: it shares the tensor's storage (other tensors may share it
 * too), and a wasm view is detached when the heap grows, which any later tfjs op may do.
 */
export function float32View(tensor: tf.Tensor): Float32Array {
  if (tensor.dtype !== 'float32') {
    throw new CurvadRuntimeError(`float32View needs a float32 tensor, got ${tensor.dtype}; cast it first (tf.cast(t, 'float32')).`);
  }
  if (tensor.isDisposed) throw new CurvadRuntimeError('float32View: the tensor is disposed.');
  const backend = tf.engine().backend as unknown as ViewableBackend;
  const heap = backend.wasm?.HEAPU8;
  if (heap !== undefined && backend.dataIdMap?.has(tensor.dataId) === true) {
    const offset = backend.dataIdMap.get(tensor.dataId)?.memoryOffset;
    if (offset !== undefined) return new Float32Array(heap.buffer, offset, tensor.size);
  }
  if (backend.data?.has(tensor.dataId) === true) {
    const values = backend.data.get(tensor.dataId)?.values;
    if (values instanceof Float32Array && values.length === tensor.size) return values;
  }
  return tensor.dataSync() as Float32Array;
}
