// The seeds of an ELOC unit's leave-out classifiers, derived from the unit seed in the style of
// core/seeds.ts (named strides and offsets, one formula each). Kept in the task: only ELOC uses them.
import { epochOrderSeed } from '../../core/seeds';

/** Classifiers of one unit differ by their fold; a prime stride above any fold count (folds <= classes <= 100). */
const FOLD_SEED_STRIDE = 101;

/**
 * Offset of the held-out batches' order from the ID batches' order of the same epoch (MurmurHash's
 * multiplier: far from every other seed of the run), so the two streams are independent.
 */
const HELD_OUT_ORDER_OFFSET = 0x5bd1e995;

/** The seed of leave-out classifier `fold` of a unit seeded `unit`: its layer inits and its epoch orders derive from it. */
export function foldSeed(unit: number, fold: number): number {
  return unit * FOLD_SEED_STRIDE + fold;
}

/**
 * The seed of pass `pass` over the held-out rows in epoch `epoch` of a classifier seeded `fold`: the
 * held-out set is smaller than the kept one, so an epoch cycles through it, reshuffled each pass.
 */
export function heldOutOrderSeed(fold: number, epoch: number, pass: number): number {
  return epochOrderSeed(fold, epoch) + HELD_OUT_ORDER_OFFSET + pass;
}
