// @curvad/runtime: backend choice, wasm training kernels, seeding and memory checks for tfjs in Node.

export type { BackendCandidate, BackendLoader, BackendLoaders } from './backend/backend-loaders';
export {
  type BackendChoice,
  type BackendRequest,
  type InitBackendOptions,
  initBackend,
  type SkippedCandidate,
  type WasmOptions,
} from './backend/init-backend';
export { type BatchNormTrainingResult, batchNormTraining } from './batch-norm/batch-norm-training';
export { CurvadRuntimeError } from './errors';
export { registerLeanGradients } from './gradients/register-lean-gradients';
export { float32View } from './memory/float32-view';
export {
  countTensorsDelta,
  expectNoLeak,
  type NoLeakOptions,
  type TensorCountDelta,
} from './memory/memory-checks';
export { FusedAdamOptimizer, fusedAdam } from './optim/fused-adam';
export { currentSeed, nextSeed, rng, type SeedOptions, seed, unseed } from './seed/seed';
export {
  type RegisterWasmKernelsOptions,
  registerWasmTrainingKernels,
  WASM_FASTER_KERNELS,
  WASM_TRAINING_KERNELS,
  type WasmKernelRegistration,
  type WinogradTile,
} from './wasm/register-wasm-kernels';
