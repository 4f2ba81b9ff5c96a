import {
  FusedBatchNorm,
  type GradConfig,
  getGradient,
  getKernel,
  Mean,
  registerGradient,
  registerKernel,
  Sum,
} from '@tensorflow/tfjs-core';
import { batchNormGradSumsCpuConfig, batchNormGradSumsWasmConfig } from './batch-norm-grad-sums';
import { leanBatchNormGradConfig } from './batch-norm-gradient';
import { meanGradConfig, sumGradConfig } from './reduction-gradients';

/** The gradients registered before ours (tfjs' own), by kernel name. */
const tfjsOwn = new Map<string, GradConfig>();
/** Ours, so that they are never mistaken for tfjs' own. */
const lean = new Set<GradConfig>([sumGradConfig, meanGradConfig]);
/** Our FusedBatchNorm gradient and the one of tfjs it falls back to. */
let leanBatchNorm: { config: GradConfig; fallback: GradConfig } | undefined;

/**
 * Registers, in tfjs' gradient registry (global, not per backend), gradients that do the same math
 * with far fewer full-size passes: Sum and Mean broadcast dy instead of multiplying by a JS-made
 * tensor of ones (reduction-gradients.ts), and FusedBatchNorm's gradient comes from two per-channel
 * sums (batch-norm-gradient.ts; with the CurvadBatchNormGradSums kernel this registers for wasm and
 * cpu, tfjs' own gradient elsewhere). Returns the kernel names whose gradient this call replaced;
 * idempotent. tfjs-layers registers tfjs' own gradients when it is first imported, so call this
 * after importing it (initBackend and registerWasmTrainingKernels call it).
 */
export function registerLeanGradients(): string[] {
  for (const config of [batchNormGradSumsWasmConfig, batchNormGradSumsCpuConfig]) {
    if (getKernel(config.kernelName, config.backendName) === undefined) registerKernel(config);
  }
  for (const name of [Sum, Mean, FusedBatchNorm]) {
    const current = getGradient(name);
    if (current !== undefined && !lean.has(current)) tfjsOwn.set(name, current);
  }
  const batchNormFallback = tfjsOwn.get(FusedBatchNorm);
  if (batchNormFallback !== undefined && leanBatchNorm?.fallback !== batchNormFallback) {
    leanBatchNorm = { config: leanBatchNormGradConfig(batchNormFallback), fallback: batchNormFallback };
    lean.add(leanBatchNorm.config);
  }
  const replaced: string[] = [];
  for (const config of [sumGradConfig, meanGradConfig, leanBatchNorm?.config]) {
    if (config === undefined || getGradient(config.kernelName) === config) continue;
    registerGradient(config);
    replaced.push(config.kernelName);
  }
  return replaced;
}

/** The gradient tfjs had registered for `kernelName` before registerLeanGradients replaced it (tests compare against it). */
export function tfjsOwnGradient(kernelName: string): GradConfig | undefined {
  return tfjsOwn.get(kernelName) ?? (lean.has(getGradient(kernelName)) ? undefined : getGradient(kernelName));
}
