import {
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  FusedConv2D,
  type FusedConv2DAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { runOriginalKernel } from '../original-kernels';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { winogradConv2d, winogradFor } from './winograd';

/**
 * Conv2D and FusedConv2D for wasm: 3x3 convolutions with stride 1 or 2 and enough channels go to Winograd
 * F(2x2, 3x3) (winograd.ts), fused with a per-channel bias and ReLU when asked; everything else
 * (other filters, strides, activations, NCHW) goes to the backend's XNNPACK kernel.
 */

function convInfo(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): backend_util.Conv2DInfo | undefined {
  if (attrs.dataFormat === 'NCHW') return undefined;
  return backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

function conv2d(args: { inputs: { x: TensorInfo; filter: TensorInfo }; backend: WasmBackendInternals; attrs: Conv2DAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const info = convInfo(inputs.x, inputs.filter, attrs);
  const plan = info !== undefined ? winogradFor(backend, info) : undefined;
  if (plan === undefined || info === undefined) {
    return runOriginalKernel(Conv2D, backend, inputs, { ...attrs });
  }
  return winogradConv2d(plan, backend, inputs.x, inputs.filter, info);
}

function fusedConv2d(args: {
  inputs: { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  backend: WasmBackendInternals;
  attrs: FusedConv2DAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const info = convInfo(inputs.x, inputs.filter, attrs as unknown as Conv2DAttrs);
  const plan = info !== undefined ? winogradFor(backend, info) : undefined;
  const { bias } = inputs;
  const epilogueFits =
    (attrs.activation === 'linear' || attrs.activation === 'relu') &&
    inputs.preluActivationWeights === undefined &&
    (bias === undefined || (bias.dtype === 'float32' && util.sizeFromShape(bias.shape) === info?.outChannels));
  if (plan === undefined || info === undefined || !epilogueFits) {
    return runOriginalKernel(FusedConv2D, backend, inputs as Record<string, TensorInfo>, { ...attrs });
  }
  return winogradConv2d(plan, backend, inputs.x, inputs.filter, info, { bias, relu: attrs.activation === 'relu' });
}

export const conv2dConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'wasm',
  kernelFunc: conv2d as unknown as KernelFunc,
};

export const fusedConv2dConfig: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: 'wasm',
  kernelFunc: fusedConv2d as unknown as KernelFunc,
};
