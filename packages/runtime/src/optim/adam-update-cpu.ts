import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type CpuBackendInternals, cpuFloat32 } from '../cpu-backend-internals';
import { checkAdamUpdateInputs } from './adam-update-check';
import { ADAM_UPDATE, type AdamUpdateAttrs, adamUpdateLoop } from './adam-update-loop';

/** CurvadAdamUpdate on cpu: the same loop over the backend's Float32Arrays, into three new tensors. */
function adamUpdateCpu(args: {
  inputs: { x: TensorInfo; m: TensorInfo; v: TensorInfo; g: TensorInfo };
  backend: CpuBackendInternals;
  attrs: AdamUpdateAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  checkAdamUpdateInputs(inputs);
  const { x, m, v, g } = inputs;
  const values = (info: TensorInfo) => cpuFloat32(backend, info);
  const size = values(x).length;
  const xOut = new Float32Array(size);
  const mOut = new Float32Array(size);
  const vOut = new Float32Array(size);
  adamUpdateLoop(values(x), values(m), values(v), values(g), xOut, mOut, vOut, attrs);
  return [
    backend.makeTensorInfo(x.shape, 'float32', xOut),
    backend.makeTensorInfo(x.shape, 'float32', mOut),
    backend.makeTensorInfo(x.shape, 'float32', vOut),
  ];
}

export const adamUpdateCpuConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'cpu',
  kernelFunc: adamUpdateCpu as unknown as KernelFunc,
};
