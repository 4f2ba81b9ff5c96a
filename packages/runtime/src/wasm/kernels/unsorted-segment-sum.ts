import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../../errors';
import type { WasmBackendInternals } from '../wasm-backend-internals';

/**
 * UnsortedSegmentSum for wasm (the gradient of Gather, hence of tf.layers.embedding):
 * out[j, ...] = sum over i with segmentIds[i] = j of x[i, ...]. Ids outside [0, numSegments) are
 * dropped, as in TensorFlow. One JS pass over the wasm heap.
 */
function unsortedSegmentSum(args: {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  backend: WasmBackendInternals;
  attrs: UnsortedSegmentSumAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new CurvadRuntimeError(`UnsortedSegmentSum on wasm needs float32 or int32 values, got ${x.dtype}.`);
  }
  const idsRank = segmentIds.shape.length;
  const prefix = x.shape.slice(0, idsRank);
  if (!util.arraysEqual(prefix, segmentIds.shape)) {
    throw new CurvadRuntimeError(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of x's shape [${x.shape}].`);
  }
  const innerShape = x.shape.slice(idsRank);
  const inner = util.sizeFromShape(innerShape);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  const xv = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const outv = backend.typedArrayFromHeap(out);
  const acc = new Float64Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i]!;
    if (segment < 0 || segment >= numSegments) continue;
    const src = i * inner;
    const dst = segment * inner;
    for (let k = 0; k < inner; k++) acc[dst + k] += xv[src + k]!;
  }
  outv.set(acc);
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
