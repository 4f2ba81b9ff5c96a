// A tiny segmentation config for the tests: 64x64 scenes, a depth-1 U-Net of width 4, one epoch.
import type { SegmentationConfigInput } from './config/segmentation-config';

export const TINY_SEGMENTATION: SegmentationConfigInput = {
  name: 'tiny-segmentation',
  dataset: 'fmnist-scenes',
  scenes: { size: 64, grid: 2, train: 16, test: 6, anomaliesPerScene: 1, backgroundNoise: 30 },
  unet: { depth: 1, width: 4, embeddingDim: 8 },
  models: ['baseline', 'MiT'],
  divergenceDirection: 'both',
  optimizer: { name: 'adam', learningRate: 3e-3 },
  epochs: 1,
  batchSize: 8,
  trials: 1,
  seed: 3,
};
