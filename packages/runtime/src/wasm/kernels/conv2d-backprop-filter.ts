import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../../runtime-error';
import { allocate, f32, release, transpose2d, withShape } from '../heap';
import { pointer, simdKernels } from '../simd/simd-module';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { matMulPlain } from './batch-mat-mul';
import { im2col, im2colTransposed, imagesPerChunk } from './im2col';

/**
 * Conv2DBackpropFilter for wasm (tfjs-backend-wasm has none), as one GEMM per chunk of images:
 *
 *   dW[(kh, kw, ci), co] = sum over pixels p = (b, oh, ow) of patches^T[(kh, kw, ci), p] * dy[p, co]
 *
 * The transposed patch matrix is written in JS straight from x, and the product runs on the
 * backend's XNNPACK GEMM; its [taps, co] result is already the [kh, kw, ci, co] filter layout.
 * (An earlier version computed the same sum as a Conv2D of the transposed input by dy, dilated by
 * the stride; the two transposes of full activations it needed cost more than the GEMM.)
 *
 * XNNPACK repacks the GEMM's right-hand operand on every call, and dy is new at every step. When
 * the filter has few taps and many output channels (a first layer: 9 taps, 32 channels), packing
 * dy costs more than the product, so the product is taken the other way round,
 * dW^T = dy^T [co, pixels] x patches [pixels, taps], which packs the smaller patch matrix.
 */

/**
 * Up to this many taps (first layers) with a multiple of 16 output channels, the product
 * patches^T x dy runs in our SIMD module's unpacked GEMM instead: packing nothing, it took 2.3 ms
 * against 15-19 ms for XNNPACK on the reference CNN's first layer (9 taps, 100352 pixels, 32
 * channels) and 5.4 ms against 13-19 ms on ResNet-18's (27 taps, 64 channels); from a few hundred
 * taps on, XNNPACK is as fast or faster.
 */
const UNPACKED_GEMM_MAX_TAPS = 64;

/** Take dW^T = dy^T x patches when the patch matrix is at most this fraction of dy's size. */
const PACK_PATCHES_WHEN_TAPS_PER_CHANNEL_BELOW = 0.5;
/**
 * The transposed patch matrix [taps, pixels] of images [b0, b0 + count). With whole vectors of
 * channels, im2col and a transpose in our SIMD module (runs of channels copied 4 at a time), which
 * beat the JS strided gather (2.2 against 7.8 ms on the reference CNN's second layer); else im2colTransposed.
 */
function transposedPatches(backend: WasmBackendInternals, info: backend_util.Conv2DInfo, x: TensorInfo, b0: number, count: number): TensorInfo {
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const pixels = count * info.outHeight * info.outWidth;
  const patchesT = allocate(backend, [taps, pixels]);
  if (info.inChannels % 4 === 0 && simdKernels(backend) !== undefined) {
    const patches = allocate(backend, [pixels, taps]);
    im2col(info, f32(backend, x), b0, count, f32(backend, patches));
    transpose2d(f32(backend, patches), 0, pixels, taps, f32(backend, patchesT), 0);
    release(backend, patches);
  } else {
    im2colTransposed(info, f32(backend, x), b0, count, f32(backend, patchesT));
  }
  return patchesT;
}

function conv2dBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackendInternals;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat === 'NCHW') {
    throw new CurvadRuntimeError(
      "Conv2DBackpropFilter on wasm supports dataFormat 'NHWC' only (as the wasm Conv2D does); use channels-last tensors.",
    );
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const pixelsPerImage = info.outHeight * info.outWidth;
  const chunk = imagesPerChunk(info);
  const simd = taps <= UNPACKED_GEMM_MAX_TAPS && info.outChannels % 16 === 0 ? simdKernels(backend) : undefined;
  const packPatches = simd === undefined && taps < PACK_PATCHES_WHEN_TAPS_PER_CHANNEL_BELOW * info.outChannels;
  let total: TensorInfo | undefined;
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const count = Math.min(chunk, info.batchSize - b0);
    const pixels = count * pixelsPerImage;
    const dyStart = b0 * pixelsPerImage * info.outChannels;
    let part: TensorInfo;
    if (simd !== undefined) {
      // [taps, co] = patches^T [taps, pixels] x dy [pixels, co], unpacked
      const patchesT = transposedPatches(backend, info, x, b0, count);
      part = allocate(backend, [taps, info.outChannels]);
      const dyAt = pointer(backend, dy.dataId) + dyStart * 4;
      const patchesAt = pointer(backend, patchesT.dataId);
      simd.gemm_unpacked(patchesAt, pixels * 4, 4, dyAt, pointer(backend, part.dataId), taps, pixels, info.outChannels);
      release(backend, patchesT);
    } else if (packPatches) {
      // [co, taps] = dy^T [co, pixels] x patches [pixels, taps]
      const patches = allocate(backend, [pixels, taps]);
      const dyT = allocate(backend, [info.outChannels, pixels]);
      im2col(info, f32(backend, x), b0, count, f32(backend, patches));
      transpose2d(f32(backend, dy), dyStart, pixels, info.outChannels, f32(backend, dyT), 0);
      part = matMulPlain(backend, dyT, patches);
      release(backend, patches, dyT);
    } else {
      // [taps, co] = patches^T [taps, pixels] x dy [pixels, co]
      const patchesT = transposedPatches(backend, info, x, b0, count);
      let dyChunk = withShape(dy, [pixels, info.outChannels]);
      if (count !== info.batchSize) {
        dyChunk = allocate(backend, [pixels, info.outChannels]);
        f32(backend, dyChunk).set(f32(backend, dy).subarray(dyStart, dyStart + pixels * info.outChannels));
      }
      part = matMulPlain(backend, patchesT, dyChunk);
      release(backend, patchesT);
      if (dyChunk.dataId !== dy.dataId) release(backend, dyChunk);
    }
    if (total === undefined) {
      total = part;
    } else {
      const sum = f32(backend, total);
      const add = f32(backend, part);
      for (let i = 0; i < sum.length; i++) sum[i] += add[i]!;
      release(backend, part);
    }
  }
  if (packPatches) {
    const transposed = allocate(backend, [...filterShape]);
    transpose2d(f32(backend, total!), 0, info.outChannels, taps, f32(backend, transposed), 0);
    release(backend, total!);
    return transposed;
  }
  return withShape(total!, [...filterShape]);
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
