import {
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { depthwiseGeometry } from './depthwise-geometry';

/**
 * DepthwiseConv2dNativeBackpropInput for wasm, computed in JS directly over the wasm heap by
 * scattering each output gradient back through the taps that produced it:
 *
 *   dx[b, oh*sh + kh*dh - padTop, ow*sw + kw*dw - padLeft, c] += sum_m dy[b, oh, ow, c*M + m] * W[kh, kw, c, m]
 *
 * Sums run in float64 and are rounded to float32 once.
 */
function depthwiseConv2dBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackendInternals;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { inputShape } = attrs;
  const geometry = depthwiseGeometry(inputShape, filter.shape as [number, number, number, number], attrs);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = geometry;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = geometry;
  const { multiplier, top, left } = geometry;

  const out = backend.makeOutput(inputShape, 'float32');
  const dyv = backend.typedArrayFromHeap(dy);
  const fv = backend.typedArrayFromHeap(filter);
  const outv = backend.typedArrayFromHeap(out);
  const imageSize = inHeight * inWidth * inChannels;
  const acc = new Float64Array(imageSize);

  for (let b = 0; b < batchSize; b++) {
    acc.fill(0);
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
            const accOffset = (ih * inWidth + iw) * inChannels;
            const fOffset = (kh * filterWidth + kw) * outChannels;
            for (let c = 0; c < inChannels; c++) {
              const cm = c * multiplier;
              let sum = 0;
              for (let m = 0; m < multiplier; m++) sum += dyv[dyOffset + cm + m]! * fv[fOffset + cm + m]!;
              acc[accOffset + c] += sum;
            }
          }
        }
      }
    }
    outv.set(acc, b * imageSize);
  }
  return out;
}

export const depthwiseConv2dBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInput as unknown as KernelFunc,
};
