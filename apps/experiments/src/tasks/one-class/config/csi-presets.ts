// The CSI presets of the one-class task (paper Sec. V-B, Table VI's CSI rows). See README
// "One-class detection", "CSI", for the measurements behind the fmnist size.
import { CSI_CURVATURES, type OneClassConfigInput, ROTNET_CURVATURES } from './one-class-config';

/** Table VI's CSI models. */
export const CSI_MODELS = ['CSI', 'CSI+SiT', 'CSI+HiT', 'CSI+MiT'] as const;

/**
 * Fashion-MNIST one-class with CSI: each class in turn normal, 1,500 of its training images
 * (seeded) in two SimCLR views x 4 rotations, one epoch; scored on a seeded subset of 3,000 of the
 * 10,000 test images (about 300 normal); the fmnist-one-class backbone (small CNN, 64-d feature).
 * 10 classes x 4 models x 3 trials = 120 units. Sized from units measured on this 2-core machine
 * (README "CSI"): scoring, not training, dominates a unit, and on the whole test split units took
 * 131-235 s under load; the 3,000-image subset cuts scoring about threefold.
 */
export const fmnistOneClassCsi: OneClassConfigInput = {
  name: 'fmnist-one-class-csi',
  dataset: 'fashion-mnist',
  backbone: { name: 'small-cnn', options: {} },
  embeddingDim: 64,
  models: [...CSI_MODELS],
  curvatures: ROTNET_CURVATURES,
  csiCurvatures: CSI_CURVATURES,
  csi: { projectionDim: 128, temperature: 0.5, balancing: 'leave-one-out', cropScale: [0.08, 1] },
  scorings: ['standard', 'released'],
  divergenceDirection: 'both',
  optimizer: { name: 'adam', learningRate: 1e-3 },
  batchSize: 32,
  epochs: 1,
  trials: 3,
  seed: 0,
  limits: { train: 1500, test: 3000 },
};

/**
 * CSI's CIFAR-10 one-class setting (alinlab/CSI: ResNet-18, 128-d projection, batch 32 images,
 * temperature 0.5), for users with the data and a GPU backend. The released code trains 1,000
 * epochs with LARS (lr 0.1, cosine schedule, 10 warm-up epochs); tfjs has no LARS, so this preset
 * uses SGD with momentum 0.9 at lr 0.1 and a step schedule (x 0.1 at epochs 60 and 80) for 100
 * epochs, like cifar10-rotnet's fixed 100 epochs, and scores the last epoch.
 */
export const cifar10Csi: OneClassConfigInput = {
  name: 'cifar10-csi',
  dataset: 'cifar10',
  backbone: { name: 'resnet18', options: {} },
  models: [...CSI_MODELS],
  curvatures: ROTNET_CURVATURES,
  csiCurvatures: CSI_CURVATURES,
  csi: { projectionDim: 128, temperature: 0.5, balancing: 'leave-one-out', cropScale: [0.08, 1] },
  scorings: ['standard', 'released'],
  divergenceDirection: 'released',
  optimizer: { name: 'momentum', learningRate: 0.1, momentum: 0.9, milestones: [60, 80], gamma: 0.1 },
  epochs: 100,
  batchSize: 32,
  trials: 3,
  seed: 0,
  limits: {},
};
