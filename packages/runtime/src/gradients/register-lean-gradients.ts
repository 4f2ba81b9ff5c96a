import { FusedBatchNorm, type GradConfig, getGradient, Mean, Relu, registerGradient, Sum } from '@tensorflow/tfjs-core';
import { registerMissingKernels } from '../register-missing-kernels';
import { batchNormGradSumsCpuConfig, batchNormGradSumsWasmConfig } from './batch-norm-grad-sums';
import { leanBatchNormGradConfig } from './batch-norm-gradient';
import { meanGradConfig, sumGradConfig } from './reduction-gradients';
import { leanReluGradConfig, reluGradCpuConfig, reluGradWasmConfig } from './relu-gradient';

/** The gradients registered before ours (tfjs' own), by kernel name. */
const tfjsOwn = new Map<string, GradConfig>();
/** Ours, so that they are never mistaken for tfjs' own. */
const lean = new Set<GradConfig>([sumGradConfig, meanGradConfig]);
/** Our gradients that wrap tfjs' own (their fallback), by kernel name. */
const wrapping = new Map<string, { config: GradConfig; fallback: GradConfig }>();
const WRAPPERS: [string, (fallback: GradConfig) => GradConfig][] = [
  [FusedBatchNorm, leanBatchNormGradConfig],
  [Relu, leanReluGradConfig],
];

/**
 * Registers, in tfjs' gradient registry (global, not per backend), gradients that do the same math
 * with far fewer full-size passes: Sum and Mean broadcast dy instead of multiplying by a JS-made
 * tensor of ones (reduction-gradients.ts), FusedBatchNorm's gradient comes from two per-channel
 * sums (batch-norm-gradient.ts) and Relu's from one pass (relu-gradient.ts): with kernels this
 * registers for wasm and cpu, tfjs' own gradient elsewhere. Returns the kernel names whose gradient this call replaced;
 * idempotent. tfjs-layers registers tfjs' own gradients when it is first imported, so call this
 * after importing it (initBackend and registerWasmTrainingKernels call it).
 */
export function registerLeanGradients(): string[] {
  registerMissingKernels([batchNormGradSumsWasmConfig, batchNormGradSumsCpuConfig, reluGradWasmConfig, reluGradCpuConfig]);
  for (const name of [Sum, Mean, FusedBatchNorm, Relu]) {
    const current = getGradient(name);
    if (current !== undefined && !lean.has(current)) tfjsOwn.set(name, current);
  }
  for (const [name, wrap] of WRAPPERS) {
    const fallback = tfjsOwn.get(name);
    if (fallback === undefined || wrapping.get(name)?.fallback === fallback) continue;
    const config = wrap(fallback);
    wrapping.set(name, { config, fallback });
    lean.add(config);
  }
  const replaced: string[] = [];
  for (const config of [sumGradConfig, meanGradConfig, ...[...wrapping.values()].map((w) => w.config)]) {
    if (getGradient(config.kernelName) === config) continue;
    registerGradient(config);
    replaced.push(config.kernelName);
  }
  return replaced;
}

/** The gradient tfjs had registered for `kernelName` before registerLeanGradients replaced it (tests compare against it). */
export function tfjsOwnGradient(kernelName: string): GradConfig | undefined {
  return tfjsOwn.get(kernelName) ?? (lean.has(getGradient(kernelName)) ? undefined : getGradient(kernelName));
}
