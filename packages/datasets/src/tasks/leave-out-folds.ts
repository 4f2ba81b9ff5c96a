// The leave-out folds of ELOC (Vyas et al., "Out-of-Distribution Detection Using an Ensemble of Self
// Supervised Leave-out Classifiers", ECCV 2018): the ID classes are cut into K folds; classifier k is
// trained on the classes outside fold k and sees fold k's classes as self-supervised OOD.
//
// The common re-implementation (github YU1ut/Ensemble-of-Leave-out-Classifiers, `split_dataset` and
// `cal_in_cls`) shuffles the class ids once (numpy seed 3), holds out the contiguous slice
// [(k-1) n/5, k n/5) of that order in fold k, and numbers the kept classes in the shuffled order.
// Here: the same contiguous slices, of the class ids themselves (no `seed`) or of a seeded shuffle of
// them (`seed`, this package's generator, so not numpy's permutation); when `classes` is not a
// multiple of `folds` the first `classes % folds` folds hold out one class more, so every class is
// held out exactly once (the re-implementation's int(n/5) slices never hold out the remainder; for 10
// and 100 classes both agree). Kept classes are numbered in ascending id order; the numbering of a
// classifier's classes does not change what it learns.
import { DatasetError } from '../errors.js';
import { shuffledIndices } from '../random.js';

/** One leave-out fold: which classes classifier `fold` is trained on and which it sees as OOD. */
export interface LeaveOutFold {
  /** 0-based fold number. */
  fold: number;
  /** Original class ids held out as self-supervised OOD, ascending. */
  heldOut: number[];
  /** Original class ids the classifier is trained on, ascending: `kept[j]` is the classifier's class j. */
  kept: number[];
  /** For each original class id: its class 0..kept.length-1 in this classifier, or -1 when held out. */
  remap: Int32Array;
}

/** A softmax classifier needs two classes; a fold that keeps fewer could not be trained. */
const MIN_KEPT_CLASSES = 2;

function assertInteger(value: unknown, name: string, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new DatasetError(`leaveOutFolds: ${name} must be an integer >= ${min}, got ${String(value)}.`);
  }
}

/**
 * Splits `classes` class ids into `folds` leave-out folds (ELOC, Vyas et al. 2018): fold k holds out
 * a contiguous block of about classes/folds ids (of 0..classes-1 in order, or of a seeded shuffle of
 * them when `seed` is given) and keeps the rest, renumbered 0..kept-1 in ascending id order.
 *
 * @param classes number of in-distribution classes (e.g. 10 for CIFAR-10).
 * @param folds number of leave-out classifiers, default 5 (Vyas et al.).
 * @param seed shuffles the class ids first (seeded, reproducible); omitted: ids in order.
 */
export function leaveOutFolds(classes: number, folds = 5, seed?: number): LeaveOutFold[] {
  assertInteger(classes, 'classes', 2);
  assertInteger(folds, 'folds', 2);
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    throw new DatasetError(`leaveOutFolds: seed must be a finite number (or omitted for the ids in order), got ${String(seed)}.`);
  }
  if (classes < folds) {
    throw new DatasetError(
      `leaveOutFolds: ${classes} classes cannot fill ${folds} folds (each fold holds out at least one class); use folds <= ${classes}.`,
    );
  }
  const largestHeldOut = Math.ceil(classes / folds);
  if (classes - largestHeldOut < MIN_KEPT_CLASSES) {
    throw new DatasetError(
      `leaveOutFolds: with ${classes} classes and ${folds} folds a fold holds out ${largestHeldOut} and keeps ${classes - largestHeldOut} ` +
        `class(es), but each leave-out classifier needs at least ${MIN_KEPT_CLASSES}; use more classes or more folds.`,
    );
  }
  const order = seed === undefined ? Array.from({ length: classes }, (_, i) => i) : Array.from(shuffledIndices(classes, seed));
  const base = Math.floor(classes / folds);
  const extra = classes % folds;
  const result: LeaveOutFold[] = [];
  let start = 0;
  for (let fold = 0; fold < folds; fold++) {
    const size = base + (fold < extra ? 1 : 0);
    const out = new Set(order.slice(start, start + size));
    start += size;
    const heldOut = [...out].sort((a, b) => a - b);
    const kept = order.filter((c) => !out.has(c)).sort((a, b) => a - b);
    const remap = new Int32Array(classes).fill(-1);
    kept.forEach((c, j) => {
      remap[c] = j;
    });
    result.push({ fold, heldOut, kept, remap });
  }
  return result;
}

/** The samples of one fold: kept ones with their classifier labels, and the held-out ones. */
export interface LeaveOutSplit {
  /** Indices (into `labels`) of the samples of kept classes. */
  keptIndices: Uint32Array;
  /** Their labels renumbered for this fold's classifier (0..kept.length-1). */
  keptLabels: Int32Array;
  /** Indices of the samples of held-out classes (the self-supervised OOD batch source). */
  heldOutIndices: Uint32Array;
}

/** Splits a labelled set by a fold of `leaveOutFolds`; a label outside 0..classes-1 is an error naming its index. */
export function leaveOutSplit(labels: ArrayLike<number>, fold: LeaveOutFold): LeaveOutSplit {
  const classes = fold.remap.length;
  const kept: number[] = [];
  const keptLabels: number[] = [];
  const heldOut: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new DatasetError(
        `leaveOutSplit: label ${label} at index ${i} is not a class id 0..${classes - 1} of these folds; make the folds with the dataset's class count.`,
      );
    }
    const mapped = fold.remap[label]!;
    if (mapped < 0) {
      heldOut.push(i);
    } else {
      kept.push(i);
      keptLabels.push(mapped);
    }
  }
  return { keptIndices: Uint32Array.from(kept), keptLabels: Int32Array.from(keptLabels), heldOutIndices: Uint32Array.from(heldOut) };
}
