import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../../runtime-error';
import { allocate, f32, release, transpose2d, withShape } from '../heap';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { matMulPlain } from './batch-mat-mul';
import { col2imAdd, imagesPerChunk } from './im2col';

/**
 * Conv2DBackpropInput for wasm (replaces the backend's direct loop, which is ~4x slower here), as
 * one GEMM per chunk of images followed by col2im:
 *
 *   dPatches[p, (kh, kw, ci)] = sum_co dy[p, co] * W[(kh, kw, ci), co]     (XNNPACK GEMM with W^T)
 *   dx[b, oh*sh + kh - top, ow*sw + kw - left, ci] += dPatches[(b, oh, ow), (kh, kw, ci)]
 */
function conv2dBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackendInternals;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat === 'NCHW') {
    throw new CurvadRuntimeError(
      "Conv2DBackpropInput on wasm supports dataFormat 'NHWC' only; use channels-last tensors.",
    );
  }
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const pixelsPerImage = info.outHeight * info.outWidth;
  const filterT = allocate(backend, [info.outChannels, taps]);
  transpose2d(f32(backend, filter), 0, taps, info.outChannels, f32(backend, filterT), 0);
  const dx = allocate(backend, [...inputShape]);
  f32(backend, dx).fill(0);
  const chunk = imagesPerChunk(info);
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const count = Math.min(chunk, info.batchSize - b0);
    const pixels = count * pixelsPerImage;
    let dyChunk = withShape(dy, [pixels, info.outChannels]);
    if (count !== info.batchSize) {
      dyChunk = allocate(backend, [pixels, info.outChannels]);
      const start = b0 * pixelsPerImage * info.outChannels;
      f32(backend, dyChunk).set(f32(backend, dy).subarray(start, start + pixels * info.outChannels));
    }
    const patchGrad = matMulPlain(backend, dyChunk, filterT);
    col2imAdd(info, f32(backend, patchGrad), b0, count, f32(backend, dx));
    release(backend, patchGrad);
    if (dyChunk.dataId !== dy.dataId) release(backend, dyChunk);
  }
  release(backend, filterT);
  return dx;
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelFunc,
};
