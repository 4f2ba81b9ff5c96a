// @curvad/runtime: backend choice, wasm training kernels, seeding and memory checks for tfjs in Node.
export { CurvadRuntimeError } from './errors';
export {
  initBackend,
  type BackendChoice,
  type BackendRequest,
  type InitBackendOptions,
  type SkippedCandidate,
  type WasmOptions,
} from './backend/init-backend';
export type { BackendCandidate, BackendLoader, BackendLoaders } from './backend/backend-loaders';
export {
  registerWasmTrainingKernels,
  WASM_TRAINING_KERNELS,
  WASM_FASTER_KERNELS,
  type RegisterWasmKernelsOptions,
  type WasmKernelRegistration,
} from './wasm/register-wasm-kernels';
export { seed, unseed, rng, nextSeed, currentSeed, type SeedOptions } from './seed/seed';
export {
  countTensorsDelta,
  expectNoLeak,
  type NoLeakOptions,
  type TensorCountDelta,
} from './memory/memory-checks';
export {
  DataParallelTrainer,
  type DataParallelModel,
  type DataParallelTrainerOptions,
} from './train/data-parallel-trainer';
export { DATA_PARALLEL_LOSSES, type DataParallelLoss } from './train/shard-gradients';
