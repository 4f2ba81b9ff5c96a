// The patch-svdd presets (paper Sec. V-D, Tables VIII and IX). See README "One-class anomaly
// segmentation (Patch-SVDD)" for what each measures and how the offline one was sized.
import { DEFECT_BENCHMARK_CATEGORIES } from '@curvad/datasets';
import { ExperimentError } from '../../../experiment-error';
import {
  PATCH_SVDD_CURVATURES,
  PATCH_SVDD_MODEL_NAMES,
  type PatchSvddConfig,
  type PatchSvddConfigInput,
  parsePatchSvddConfig,
} from './patch-svdd-config';
import { quickPatchSvddConfig } from './quick';

/**
 * The offline benchmark: 128x128 images (the 28x28 items upsampled), patches of 64 and 32 pixels
 * (half and a quarter of the image; the paper's 64 / 32 at 256x256 are a quarter and an eighth: the
 * encoders of @curvad/backbones take 32 x 2^n pixels, so proportionally smaller patches would need
 * 16 / 8 pixel encoders it lacks), stride 16 at scoring for both, every model, both scorings;
 * 5 categories x 7 models x 3 trials = 105 units. Measured (wasm, this project's 2-core machine):
 * one category x trial in 5 min 15 s in one process, so about 80 minutes in one process; 42 minutes
 * on 2 queued workers. 12 steps leave the position classifiers at chance loss (README).
 */
const fmnistDefects: PatchSvddConfigInput = {
  name: 'fmnist-defects',
  dataset: 'defect-benchmark',
  categories: [...DEFECT_BENCHMARK_CATEGORIES],
  benchmark: { size: 128, train: 200, test: 20, defectFraction: 0.5 },
  patch: { size: 64, largeStride: 16, smallStride: 16 },
  embeddingDim: 32,
  hiddenUnits: 64,
  models: [...PATCH_SVDD_MODEL_NAMES],
  curvatures: PATCH_SVDD_CURVATURES,
  scorings: ['dagger', 'knn'],
  knnTrainImages: 20,
  optimizer: { learningRate: 1e-3 },
  epochs: 1,
  stepsPerEpoch: 12,
  batchSize: 16,
  trials: 3,
  seed: 0,
};

/**
 * The paper's MVTec AD setting for users with the data and a GPU backend: 15 categories at 256x256,
 * patches 64 (stride 16) and 32 (stride 4), D = 64, Adam 1e-4, batch 64, the released curvatures.
 */
const mvtec: PatchSvddConfigInput = {
  name: 'mvtec',
  dataset: 'mvtec',
  categories: [
    'bottle',
    'cable',
    'capsule',
    'carpet',
    'grid',
    'hazelnut',
    'leather',
    'metal_nut',
    'pill',
    'screw',
    'tile',
    'toothbrush',
    'transistor',
    'wood',
    'zipper',
  ],
  mvtec: { size: 256 },
  patch: { size: 64, largeStride: 16, smallStride: 4 },
  embeddingDim: 64,
  hiddenUnits: 128,
  models: [...PATCH_SVDD_MODEL_NAMES],
  curvatures: PATCH_SVDD_CURVATURES,
  scorings: ['dagger', 'knn'],
  optimizer: { learningRate: 1e-4 },
  epochs: 300,
  stepsPerEpoch: 100,
  batchSize: 64,
  trials: 3,
  seed: 0,
};

const PRESETS: Record<string, PatchSvddConfigInput> = { 'fmnist-defects': fmnistDefects, mvtec };

export function listPatchSvddPresets(): string[] {
  return Object.keys(PRESETS);
}

/** A copy of a preset's config input (not validated: the base that a config file and --set go on). */
export function patchSvddPresetInput(name: string): PatchSvddConfigInput {
  const base = PRESETS[name];
  if (!base) throw new ExperimentError(`unknown patch-svdd preset '${name}'; choose one of: ${listPatchSvddPresets().join(', ')}.`);
  return structuredClone(base);
}

/** A validated config for a preset name (optionally shrunk by --quick). */
export function patchSvddPresetConfig(name: string, options: { quick?: boolean } = {}): PatchSvddConfig {
  const input = patchSvddPresetInput(name) as Record<string, unknown>;
  return parsePatchSvddConfig(options.quick ? quickPatchSvddConfig(input) : input, `preset ${name}${options.quick ? ' + --quick' : ''}`);
}
