// Test-only: the tiny configuration the model, scoring and head tests build on (MNIST 0-2 as ID, 3 as
// OOD, the small CNN), so each test states only what it changes.
import type { OodConfigInput } from './config/ood-config';

/** 28x28 grey images, as MNIST. */
export const TINY_IMAGE_SHAPE: [number, number, number] = [28, 28, 1];
/** ID classes of the tiny configuration. */
export const TINY_CLASSES = 3;

/** The parts every tiny test config shares; spread it and add name, models, sizes. */
export const TINY_MNIST_HOLDOUT = {
  configurations: [
    {
      name: 'holdout',
      description: 'MNIST 0-2 vs 3',
      id: { dataset: 'mnist', classes: [0, 1, 2], partition: 0.7 },
      ood: [{ kind: 'dataset', name: 'MNIST 3', dataset: 'mnist', classes: [3] }],
    },
  ],
  backbone: { name: 'small-cnn', options: {} },
} satisfies Pick<OodConfigInput, 'configurations' | 'backbone'>;
