import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The part of tfjs-backend-cpu's MathBackendCPU that this package's cpu kernels use, typed
 * structurally (the cpu backend is an optional peer): a tensor's values, and a new tensor from values.
 */
export interface CpuBackendInternals extends KernelBackend {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array): TensorInfo;
}

/** A float32 tensor's values on the cpu backend (its own array, not a copy). */
export function cpuFloat32(backend: CpuBackendInternals, info: TensorInfo): Float32Array {
  return backend.data.get(info.dataId).values as Float32Array;
}
