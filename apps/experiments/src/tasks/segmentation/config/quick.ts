/**
 * `--quick` for the segmentation task: every model and row, one trial, one epoch, QUICK_SCENES
 * training and test scenes (StreetHazards: as many of its scenes, at QUICK_STREET_HAZARDS_SIZE): a
 * smoke run in under a minute whose numbers are not comparable to the full preset's.
 */
export const QUICK_SCENES = { train: 96, test: 24 };
export const QUICK_STREET_HAZARDS_SIZE: [number, number] = [64, 128];

const QUICK_SUFFIX = '-quick';

/** The config input shrunk to the --quick size (not changed in place; works on unvalidated input). */
export function quickSegmentationConfig(input: Record<string, unknown>): Record<string, unknown> {
  const scenes = (typeof input.scenes === 'object' && input.scenes !== null ? input.scenes : {}) as Record<string, unknown>;
  const street = (typeof input.streetHazards === 'object' && input.streetHazards !== null ? input.streetHazards : {}) as Record<
    string,
    unknown
  >;
  const quick: Record<string, unknown> = {
    ...structuredClone(input),
    trials: 1,
    epochs: 1,
    reportScenes: 2,
    scenes: { ...structuredClone(scenes), ...QUICK_SCENES },
    streetHazards: { ...structuredClone(street), ...QUICK_SCENES, size: [...QUICK_STREET_HAZARDS_SIZE] },
  };
  if (typeof input.name === 'string' && !input.name.endsWith(QUICK_SUFFIX)) quick.name = `${input.name}${QUICK_SUFFIX}`;
  return quick;
}
