// The curated public API: an accidental export or a removed one fails here (update the lists on purpose).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportedNames } from '../../../tools/test-setup/export-names';
import * as api from './index';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Run-time names of src/index.ts (checked against the module). */
const VALUES = [
  'CurvadRuntimeError',
  'FusedAdamOptimizer',
  'WASM_FASTER_KERNELS',
  'WASM_TRAINING_KERNELS',
  'batchNormTraining',
  'countTensorsDelta',
  'currentSeed',
  'expectNoLeak',
  'float32View',
  'fusedAdam',
  'initBackend',
  'nextSeed',
  'registerLeanGradients',
  'registerWasmTrainingKernels',
  'rng',
  'seed',
  'unseed',
];

/** Type-only names of src/index.ts (checked against its export statements). */
const TYPES = [
  'BackendCandidate',
  'BackendChoice',
  'BackendLoader',
  'BackendLoaders',
  'BackendRequest',
  'BatchNormTrainingResult',
  'InitBackendOptions',
  'NoLeakOptions',
  'RegisterWasmKernelsOptions',
  'SeedOptions',
  'SkippedCandidate',
  'TensorCountDelta',
  'WasmKernelRegistration',
  'WasmOptions',
  'WinogradTile',
];

describe('public API', () => {
  it('@curvad/runtime exports exactly the listed names', () => {
    expect(Object.keys(api).sort()).toEqual(VALUES);
    expect(exportedNames(join(SRC, 'index.ts'))).toEqual([...VALUES, ...TYPES].sort());
  });
});
