/**
 * `--quick` for the one-class task: every model and scoring, but two normal classes, one trial,
 * one epoch on at most QUICK_ONE_CLASS_LIMITS.train images of the normal class and
 * QUICK_ONE_CLASS_LIMITS.test test images: a smoke run in under a minute whose numbers are not
 * comparable to the full preset's.
 */
export const QUICK_ONE_CLASS_LIMITS = { train: 500, test: 500 };
/** The normal classes a quick run keeps. */
export const QUICK_NORMAL_CLASSES = [0, 1];

const QUICK_SUFFIX = '-quick';

/** The config input shrunk to the --quick size (not changed in place; works on unvalidated input). */
export function quickOneClassConfig(input: Record<string, unknown>): Record<string, unknown> {
  const quick: Record<string, unknown> = {
    ...structuredClone(input),
    trials: 1,
    epochs: 1,
    limits: { ...QUICK_ONE_CLASS_LIMITS },
    normalClasses: [...QUICK_NORMAL_CLASSES],
  };
  if (typeof input.name === 'string' && !input.name.endsWith(QUICK_SUFFIX)) quick.name = `${input.name}${QUICK_SUFFIX}`;
  return quick;
}
