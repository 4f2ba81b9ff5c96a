import {
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { depthwiseGeometry } from './depthwise-geometry';

/**
 * DepthwiseConv2dNativeBackpropFilter for wasm, computed in JS directly over the wasm heap:
 *
 *   dW[kh, kw, c, m] = sum_{b, oh, ow} x[b, oh*sh + kh*dh - padTop, ow*sw + kw*dw - padLeft, c] * dy[b, oh, ow, c*M + m]
 *
 * A depthwise conv has no channel mixing, so its gradient is as cheap as the forward pass; a plain
 * loop (sums in float64) beats reshaping it into the backend's dense kernels.
 */
function depthwiseConv2dBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackendInternals;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { filterShape } = attrs;
  const geometry = depthwiseGeometry(x.shape as [number, number, number, number], filterShape, attrs);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = geometry;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = geometry;
  const { multiplier, top, left } = geometry;

  const out = backend.makeOutput(filterShape, 'float32');
  const xv = backend.typedArrayFromHeap(x);
  const dyv = backend.typedArrayFromHeap(dy);
  const outv = backend.typedArrayFromHeap(out);
  const acc = new Float64Array(filterHeight * filterWidth * outChannels);

  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const ihBase = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++) {
        const iwBase = ow * strideWidth - left;
        const dyOffset = ((b * outHeight + oh) * outWidth + ow) * outChannels;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = ihBase + kh * dilationHeight;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = iwBase + kw * dilationWidth;
            if (iw < 0 || iw >= inWidth) continue;
            const xOffset = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            const accOffset = (kh * filterWidth + kw) * outChannels;
            for (let c = 0; c < inChannels; c++) {
              const xValue = xv[xOffset + c]!;
              const cm = c * multiplier;
              for (let m = 0; m < multiplier; m++) {
                acc[accOffset + cm + m] += xValue * dyv[dyOffset + cm + m]!;
              }
            }
          }
        }
      }
    }
  }
  outv.set(acc);
  return out;
}

export const depthwiseConv2dBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilter as unknown as KernelFunc,
};
