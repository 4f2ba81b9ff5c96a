import * as tf from '@tensorflow/tfjs-core';
import { adamUpdateCpuConfig } from './adam-update-cpu';
import { ADAM_UPDATE } from './adam-update-loop';
import { adamUpdateWasmConfig } from './adam-update-wasm';

/**
 * Registers CurvadAdamUpdate for the cpu and wasm backends, where not registered yet (idempotent).
 * Registering by backend name needs neither backend package loaded.
 */
export function registerAdamUpdateKernels(): void {
  for (const config of [adamUpdateCpuConfig, adamUpdateWasmConfig]) {
    if (tf.getKernel(ADAM_UPDATE, config.backendName) === undefined) tf.registerKernel(config);
  }
}

/** Whether the active backend has CurvadAdamUpdate. */
export function activeBackendHasAdamUpdate(): boolean {
  return tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined;
}
