import { ROTATIONS } from '@curvad/anomaly-scores';
import { createRng } from '@curvad/datasets';
import { dataSeed } from '../../../core/seeds';

/**
 * The released RotNet protocol's one random rotation (0..3) per test image, seeded by the trial
 * (dataSeed 'releasedRotations'): the same for every model of a trial, so the rows compare like with like.
 */
export function releasedRotations(seed: number, trial: number, count: number): Uint8Array {
  const rng = createRng(dataSeed(seed, 'releasedRotations', trial));
  return Uint8Array.from({ length: count }, () => rng.int(ROTATIONS));
}
