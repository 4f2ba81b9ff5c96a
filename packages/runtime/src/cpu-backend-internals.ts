import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The part of tfjs-backend-cpu's MathBackendCPU that this package's cpu kernels use, typed
 * structurally (the cpu backend is an optional peer): a tensor's values, and a new tensor from values.
 */
export interface CpuBackendInternals extends KernelBackend {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array): TensorInfo;
}
