import { getKernel, type KernelConfig, registerKernel } from '@tensorflow/tfjs-core';

/** Registers each config whose kernel name has no kernel yet on its backend (idempotent; never replaces one). */
export function registerMissingKernels(configs: readonly KernelConfig[]): void {
  for (const config of configs) if (getKernel(config.kernelName, config.backendName) === undefined) registerKernel(config);
}
