// The segmentation presets (paper Sec. V-C, Table VII). See README "Multi-class anomaly segmentation"
// for what each measures and how the offline one was sized.
import { ExperimentError } from '../../../experiment-error';
import { quickSegmentationConfig } from './quick';
import {
  parseSegmentationConfig,
  SEGMENTATION_CURVATURES,
  type SegmentationConfig,
  type SegmentationConfigInput,
} from './segmentation-config';

const TABLE_VII_MODELS = ['baseline', 'SiT', 'HiT', 'MiT'] as const;

/**
 * The offline benchmark: 64x64 scenes of a 2x2 grid of Fashion-MNIST items (classes 0-9, black
 * background with noise up to level 40), one MNIST digit per test scene as the anomaly; a depth-2
 * U-Net of width 16 with a 32-d per-pixel feature; 4 epochs of 1,000 training scenes, 200 test
 * scenes; 4 models x 3 trials = 12 units. Measured in one process on this 2-core wasm machine
 * (nice 19, load average 5.9-8.9 from other trainings): a training epoch costs 0.052 s per scene for
 * the baseline, 0.055 s for SiT, 0.074 s for HiT, 0.085 s for MiT, building + scoring 200 scenes
 * 5-7 s a unit; 0.266 s per scene-epoch for a trial's four models, 4,000 scene-epochs x 3 trials
 * ~ 55 minutes, ~ 70 at load average 15 (README "How it was sized").
 */
const fmnistScenes: SegmentationConfigInput = {
  name: 'fmnist-scenes',
  dataset: 'fmnist-scenes',
  scenes: { size: 64, grid: 2, train: 1000, test: 200, anomaliesPerScene: 1, objectProbability: 0.75, backgroundNoise: 40 },
  unet: { depth: 2, width: 16, embeddingDim: 32 },
  models: [...TABLE_VII_MODELS],
  curvatures: SEGMENTATION_CURVATURES,
  divergenceDirection: 'both',
  optimizer: { name: 'adam', learningRate: 1e-3 },
  epochs: 4,
  batchSize: 16,
  trials: 3,
  seed: 0,
};

/**
 * The paper's StreetHazards setting for users with the data (`curvad datasets fetch streethazards`
 * or the extracted archives) and a GPU backend: scenes at 256x512, a depth-4 U-Net (the paper uses
 * ResNet50-UPerNet), the released curvatures, SGD with momentum.
 */
const streethazards: SegmentationConfigInput = {
  name: 'streethazards',
  dataset: 'streethazards',
  streetHazards: { size: [256, 512] },
  unet: { depth: 4, width: 32, embeddingDim: 64 },
  models: [...TABLE_VII_MODELS],
  curvatures: SEGMENTATION_CURVATURES,
  divergenceDirection: 'released',
  optimizer: { name: 'momentum', learningRate: 0.02, momentum: 0.9 },
  epochs: 20,
  batchSize: 8,
  trials: 3,
  seed: 0,
};

const PRESETS: Record<string, SegmentationConfigInput> = { 'fmnist-scenes': fmnistScenes, streethazards };

export function listSegmentationPresets(): string[] {
  return Object.keys(PRESETS);
}

/** A copy of a preset's config input (not validated: the base that a config file and --set go on). */
export function segmentationPresetInput(name: string): SegmentationConfigInput {
  const base = PRESETS[name];
  if (!base) throw new ExperimentError(`unknown segmentation preset '${name}'; choose one of: ${listSegmentationPresets().join(', ')}.`);
  return structuredClone(base);
}

/** A validated config for a preset name (optionally shrunk by --quick). */
export function segmentationPresetConfig(name: string, options: { quick?: boolean } = {}): SegmentationConfig {
  const input = segmentationPresetInput(name) as Record<string, unknown>;
  return parseSegmentationConfig(
    options.quick ? quickSegmentationConfig(input) : input,
    `preset ${name}${options.quick ? ' + --quick' : ''}`,
  );
}
