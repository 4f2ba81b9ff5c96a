import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../../errors';
import { allocate, f32, release, transpose2d, withShape } from '../heap';
import { simdKernels } from '../simd/simd-module';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { matMulPlain } from './batch-mat-mul';
import { im2col, im2colTransposed, imagesPerChunk } from './im2col';
import { gemmUnpacked, unpackedGemmFor } from './unpacked-gemm';
import { winogradFilterGradient, winogradFor } from './winograd';

/**
 * Conv2DBackpropFilter for wasm (tfjs-backend-wasm has none), as one GEMM per chunk of images:
 *
 *   dW[(kh, kw, ci), co] = sum over pixels p = (b, oh, ow) of patches^T[(kh, kw, ci), p] * dy[p, co]
 *
 * whose [taps, co] result is already the [kh, kw, ci, co] filter layout. (An earlier version
 * computed the same sum as a Conv2D of the transposed input by dy, dilated by the stride; the two
 * transposes of full activations it needed cost more than the GEMM.)
 *
 * With a multiple of 8 output channels the product runs on our SIMD GEMM (unpacked-gemm.ts), fed
 * with the plain patch matrix from our SIMD im2col (read transposed in place) when the input
 * channels come in whole vectors, else with the transposed patch matrix written in JS. On the
 * reference CNN that took the first layer from 18 to 4 ms and the second from 17.6 to about 6 ms.
 *
 * 3x3 filters with stride 1 or 2 and enough channels take Winograd instead (winograd.ts).
 *
 * Otherwise XNNPACK's GEMM, which repacks its right-hand operand on every call (dy is new at every
 * step): patches^T x dy, or, when the filter has few taps and many output channels (packing dy
 * would cost more than the product), dW^T = dy^T [co, pixels] x patches [pixels, taps].
 */

/** Take dW^T = dy^T x patches when the patch matrix is at most this fraction of dy's size. */
const PACK_PATCHES_WHEN_TAPS_PER_CHANNEL_BELOW = 0.5;
/**
 * The transposed patch matrix [taps, pixels] of images [b0, b0 + count). With whole vectors of
 * channels, im2col and a transpose in our SIMD module (runs of channels copied 4 at a time), which
 * beat the JS strided gather (2.2 against 7.8 ms on the reference CNN's second layer); else im2colTransposed.
 */
function transposedPatches(
  backend: WasmBackendInternals,
  info: backend_util.Conv2DInfo,
  x: TensorInfo,
  b0: number,
  count: number,
): TensorInfo {
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
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const winograd = winogradFor(backend, info, 'filter-gradient');
  if (winograd !== undefined) return winogradFilterGradient(winograd, backend, x, dy, info);
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const pixelsPerImage = info.outHeight * info.outWidth;
  const chunk = imagesPerChunk(info);
  // Our SIMD GEMM when the output channels come in whole 8-column tiles; else XNNPACK.
  const simd = unpackedGemmFor(backend, info.outChannels);
  const packPatches = simd === undefined && taps < PACK_PATCHES_WHEN_TAPS_PER_CHANNEL_BELOW * info.outChannels;
  let total: TensorInfo | undefined;
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const count = Math.min(chunk, info.batchSize - b0);
    const pixels = count * pixelsPerImage;
    const dyStart = b0 * pixelsPerImage * info.outChannels;
    let part: TensorInfo;
    if (simd !== undefined) {
      // [taps, co] = patches^T x dy on our SIMD GEMM, which reads the plain patch matrix (SIMD
      // im2col, whole vectors of channels) transposed in place, or else the transposed one.
      const contiguous = info.inChannels % 4 === 0;
      const patches = allocate(backend, contiguous ? [pixels, taps] : [taps, pixels]);
      if (contiguous) im2col(info, f32(backend, x), b0, count, f32(backend, patches));
      else im2colTransposed(info, f32(backend, x), b0, count, f32(backend, patches));
      part = gemmUnpacked(simd, backend, { info: patches, transposed: contiguous }, dy, taps, pixels, info.outChannels, {
        bOffset: dyStart,
      });
      release(backend, patches);
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
