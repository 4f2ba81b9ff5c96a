// A tiny patch-svdd config for the tests: 64x64 benchmark images, 64 / 32 pixel patches, D = 8, one step.
import type { PatchSvddConfigInput } from './config/patch-svdd-config';

export const TINY_PATCH_SVDD: PatchSvddConfigInput = {
  name: 'tiny-patch-svdd',
  dataset: 'defect-benchmark',
  categories: [1],
  benchmark: { size: 64, train: 6, test: 4, defectFraction: 0.5 },
  patch: { size: 64, largeStride: 16, smallStride: 16 },
  embeddingDim: 8,
  hiddenUnits: 8,
  models: ['baseline', 'MiT'],
  optimizer: { learningRate: 1e-3 },
  epochs: 1,
  stepsPerEpoch: 1,
  batchSize: 2,
  knnTrainImages: 2,
  trials: 1,
  seed: 2,
};
