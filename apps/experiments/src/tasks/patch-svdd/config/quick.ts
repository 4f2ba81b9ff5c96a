/**
 * `--quick` for the patch-svdd task: two categories, the baseline and MiT (one GiO model too: MiO),
 * both scorings, one trial, one epoch of QUICK_STEPS steps on QUICK_IMAGES training and test images
 * (MVTec: the same limits at 128x128): a smoke run in under a minute whose numbers mean nothing.
 */
export const QUICK_IMAGES = { train: 24, test: 8 };
export const QUICK_STEPS = 2;
export const QUICK_MODELS = ['baseline', 'MiO', 'MiT'];
const QUICK_CATEGORIES = 2;
const QUICK_MVTEC_SIZE = 128;

const QUICK_SUFFIX = '-quick';

function objectField(input: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = input[key];
  return typeof value === 'object' && value !== null ? structuredClone(value as Record<string, unknown>) : {};
}

/** The config input shrunk to the --quick size (not changed in place; works on unvalidated input). */
export function quickPatchSvddConfig(input: Record<string, unknown>): Record<string, unknown> {
  const categories = Array.isArray(input.categories) ? input.categories.slice(0, QUICK_CATEGORIES) : input.categories;
  const quick: Record<string, unknown> = {
    ...structuredClone(input),
    categories,
    models: [...QUICK_MODELS],
    trials: 1,
    epochs: 1,
    stepsPerEpoch: QUICK_STEPS,
    knnTrainImages: QUICK_IMAGES.train,
    benchmark: { ...objectField(input, 'benchmark'), ...QUICK_IMAGES },
    mvtec: { ...objectField(input, 'mvtec'), ...QUICK_IMAGES, size: QUICK_MVTEC_SIZE },
  };
  if (typeof input.name === 'string' && !input.name.endsWith(QUICK_SUFFIX)) quick.name = `${input.name}${QUICK_SUFFIX}`;
  return quick;
}
