import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../../errors';
import { allocate, f32, release, transpose2d, withShape } from '../heap';
import { runOriginalKernel } from '../original-kernels';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { matMulPlain } from './batch-mat-mul';
import { col2imAdd, imagesPerChunk } from './im2col';
import { gemmUnpacked, unpackedGemmFor } from './unpacked-gemm';
import { winogradConv2d, winogradConv2dBackpropInput, winogradFor } from './winograd';

/**
 * Conv2DBackpropInput for wasm (replaces the backend's direct loop, which is ~4x slower here), as
 * one GEMM per chunk of images followed by col2im:
 *
 *   dPatches[p, (kh, kw, ci)] = sum_co dy[p, co] * W[(kh, kw, ci), co]     (XNNPACK GEMM with W^T)
 *   dx[b, oh*sh + kh - top, ow*sw + kw - left, ci] += dPatches[(b, oh, ow), (kh, kw, ci)]
 *
 * With stride 1 it is instead one forward convolution of dy by the flipped, channel-swapped filter
 * (W'[kh, kw, co, ci] = W[KH-1-kh, KW-1-kw, ci, co], padding KH-1-top etc.), on Winograd F(2x2, 3x3)
 * for 3x3 filters with enough channels (winograd.ts), else on XNNPACK: the GEMM
 * route writes and re-reads a patch gradient KH*KW times larger than dx, which made it 1.5x the
 * forward convolution's time in a CIFAR ResNet-18 step. 3x3 stride-2 filters with enough channels
 * take Winograd's transposed stride-2 algorithm (winograd.ts).
 */

/** dx as Conv2D(dy, flipped W) for stride 1, or undefined when the padding does not allow it. */
function backpropInputAsConvolution(
  backend: WasmBackendInternals,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo | undefined {
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co } = info;
  const { top, bottom, left, right } = info.padInfo;
  const pads = [kh - 1 - top, kh - 1 - bottom, kw - 1 - left, kw - 1 - right];
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || pads.some((p) => p < 0)) return undefined;
  const flipped = allocate(backend, [kh, kw, co, ci]);
  const src = f32(backend, filter);
  const dst = f32(backend, flipped);
  for (let h = 0; h < kh; h++) {
    for (let w = 0; w < kw; w++) {
      const from = ((kh - 1 - h) * kw + (kw - 1 - w)) * ci * co;
      transpose2d(src, from, ci, co, dst, (h * kw + w) * co * ci);
    }
  }
  const pad: backend_util.ExplicitPadding = [
    [0, 0],
    [pads[0]!, pads[1]!],
    [pads[2]!, pads[3]!],
    [0, 0],
  ];
  const flippedInfo = backend_util.computeConv2DInfo(dy.shape as [number, number, number, number], [kh, kw, co, ci], 1, 1, pad);
  const winograd = winogradFor(backend, flippedInfo);
  const dx =
    winograd !== undefined
      ? winogradConv2d(winograd, backend, dy, flipped, flippedInfo)
      : runOriginalKernel('Conv2D', backend, { x: dy, filter: flipped }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1] });
  release(backend, flipped);
  return dx;
}
function conv2dBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackendInternals;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat === 'NCHW') {
    throw new CurvadRuntimeError("Conv2DBackpropInput on wasm supports dataFormat 'NHWC' only; use channels-last tensors.");
  }
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const stride2 = winogradFor(backend, info, 'input-gradient');
  if (stride2 !== undefined) return winogradConv2dBackpropInput(stride2, backend, dy, filter, info);
  const asConvolution = backpropInputAsConvolution(backend, dy, filter, info);
  if (asConvolution !== undefined) return asConvolution;
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
    // Our SIMD GEMM when the taps come in whole 8-column tiles (6.3 -> ~4 ms on the reference
    // CNN's second layer), else XNNPACK.
    const simd = unpackedGemmFor(backend, taps);
    const patchGrad =
      simd !== undefined
        ? gemmUnpacked(simd, backend, { info: dyChunk }, filterT, pixels, info.outChannels, taps)
        : matMulPlain(backend, dyChunk, filterT);
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
