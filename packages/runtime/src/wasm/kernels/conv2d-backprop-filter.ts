import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../../runtime-error';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { disposeIntermediates, runWasmKernel } from '../run-wasm-kernel';

/**
 * Conv2DBackpropFilter for wasm, the filter gradient of a 2-D convolution, built from the backend's
 * own (XNNPACK) Conv2D:
 *
 *   dW[kh, kw, ci, co] = sum_{b, oh, ow} x[b, oh*s + kh - padTop, ow*s + kw - padLeft, ci] * dy[b, oh, ow, co]
 *
 * is a convolution of x with channels and batch swapped (x^T: [ci, H, W, b]) by dy used as a filter
 * ([oh, ow, b, co]), whose taps are `s` apart: a Conv2D with dilation = the forward stride and
 * stride 1 (tfjs has no dilated conv gradient, so the forward dilation is always 1 here). Its output
 * [ci, kh, kw, co] is transposed back. Padding becomes explicit so the output is exactly kh x kw.
 */
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
  const [inHeight, inWidth] = [info.inHeight, info.inWidth];
  const { top, left } = info.padInfo;
  // Rows/cols of x the gradient actually reads, from the first padded position on.
  const neededHeight = (info.filterHeight - 1) + (info.outHeight - 1) * info.strideHeight + 1;
  const neededWidth = (info.filterWidth - 1) + (info.outWidth - 1) * info.strideWidth + 1;
  const bottom = neededHeight - inHeight - top;
  const right = neededWidth - inWidth - left;

  const intermediates: TensorInfo[] = [];
  let xT = runWasmKernel('Transpose', backend, { x }, { perm: [3, 1, 2, 0] });
  intermediates.push(xT);
  if (bottom < 0 || right < 0) {
    // A 'valid' conv can ignore the last rows/cols of x; cut them since padding cannot be negative.
    xT = runWasmKernel('Slice', backend, { x: xT }, {
      begin: [0, 0, 0, 0],
      size: [info.inChannels, inHeight + Math.min(bottom, 0), inWidth + Math.min(right, 0), info.batchSize],
    });
    intermediates.push(xT);
  }
  const dyAsFilter = runWasmKernel('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
  intermediates.push(dyAsFilter);
  const explicitPad = [
    [0, 0],
    [top, Math.max(bottom, 0)],
    [left, Math.max(right, 0)],
    [0, 0],
  ];
  const gradT = runWasmKernel('Conv2D', backend, { x: xT, filter: dyAsFilter }, {
    strides: [1, 1],
    pad: explicitPad,
    dataFormat: 'NHWC',
    dilations: [info.strideHeight, info.strideWidth],
  });
  intermediates.push(gradT);
  const grad = runWasmKernel('Transpose', backend, { x: gradT }, { perm: [1, 2, 0, 3] });
  disposeIntermediates(backend, ...intermediates);
  return grad;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
