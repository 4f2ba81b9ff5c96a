import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { allocate, f32, release } from '../heap';
import { pointer, simdKernels } from '../simd/simd-module';
import type { WasmBackendInternals } from '../wasm-backend-internals';

/**
 * MaxPoolGrad for wasm (replaces the backend's, which is ~10x slower here): each output gradient
 * goes to the first maximum of its window, scanned row by row like tfjs's cpu backend, so ties
 * (common after ReLU) resolve the same way. A window's in-bounds tap offsets are found once and
 * shared by all channels. With a multiple of 4 channels the loop runs in our SIMD module
 * (kernels.wat: 4 channels per instruction, no data-dependent branches).
 */
function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: WasmBackendInternals;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dx = allocate(backend, [...input.shape]);
  const simd = channels % 4 === 0 ? simdKernels(backend) : undefined;
  if (simd !== undefined) {
    // 14 geometry values, then room for the window's tap offsets.
    const scratch = allocate(backend, [14 + filterHeight * filterWidth], 'int32');
    const geometry = [batchSize, inHeight, inWidth, channels, outHeight, outWidth, filterHeight, filterWidth];
    geometry.push(strideHeight, strideWidth, dilationHeight, dilationWidth, top, left);
    (backend.typedArrayFromHeap(scratch) as Int32Array).set(geometry);
    // Windows that tile the input exactly (2x2 stride 2 on even sizes, ...) write every element of
    // dx once, so dx needs no zeroing and no read-back.
    const tiles =
      filterHeight === strideHeight &&
      filterWidth === strideWidth &&
      dilationHeight === 1 &&
      dilationWidth === 1 &&
      top === 0 &&
      left === 0 &&
      inHeight === outHeight * strideHeight &&
      inWidth === outWidth * strideWidth;
    if (!tiles) f32(backend, dx).fill(0);
    const at = pointer(backend, scratch.dataId);
    const [xAt, dyAt, dxAt] = [pointer(backend, input.dataId), pointer(backend, dy.dataId), pointer(backend, dx.dataId)];
    simd.max_pool_grad(xAt, dyAt, dxAt, at + 14 * 4, at, tiles ? 1 : 0);
    release(backend, scratch);
    return dx;
  }
  const xv = f32(backend, input);
  const dyv = f32(backend, dy);
  const dxv = f32(backend, dx);
  dxv.fill(0);
  // Heap offsets of the window's in-bounds taps, in row-major window order.
  const taps = new Int32Array(filterHeight * filterWidth);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        let count = 0;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh * dilationHeight - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw * dilationWidth - left;
            if (iw < 0 || iw >= inWidth) continue;
            taps[count++] = ((b * inHeight + ih) * inWidth + iw) * channels;
          }
        }
        if (count === 0) continue;
        const dyOffset = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          let where = taps[0]! + c;
          let best = xv[where]!;
          for (let t = 1; t < count; t++) {
            const offset = taps[t]! + c;
            const value = xv[offset]!;
            if (value > best) {
              best = value;
              where = offset;
            }
          }
          dxv[where] += dyv[dyOffset + c]!;
        }
      }
    }
  }
  return dx;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
