// Mean intersection over union of a segmentation (the mIoU of the paper's Table VII): per class c,
// IoU_c = |predicted c AND truth c| / |predicted c OR truth c| over the counted pixels, averaged
// over the classes that occur in the truth or the prediction.
import { checkArrayLike } from './array-input';
import { MetricsError } from './errors';

export interface MeanIouOptions {
  /** Truth values whose pixels are not counted at all (e.g. an anomaly class or an 'unlabelled' id). */
  ignore?: readonly number[];
}

export interface MeanIou {
  /** Mean over the classes with a nonzero union. */
  mean: number;
  /** IoU per class id 0..classes-1; null where the class is in neither truth nor prediction (left out of the mean). */
  perClass: (number | null)[];
}

/**
 * mIoU of `predicted` class ids against `truth` class ids, pixel by pixel (same length, ids in
 * [0, classes)); truth pixels whose id is in `options.ignore` are skipped whatever was predicted.
 */
export function meanIou(predicted: ArrayLike<number>, truth: ArrayLike<number>, classes: number, options: MeanIouOptions = {}): MeanIou {
  const what = 'meanIou';
  checkArrayLike(predicted, 'predicted', what, 'predicted class ids, one per pixel');
  checkArrayLike(truth, 'truth', what, 'ground-truth class ids, one per pixel');
  if (!Number.isInteger(classes) || classes < 1) {
    throw new MetricsError(
      'bad-parameter',
      `${what}: classes must be a positive integer (the number of class ids), got ${String(classes)}.`,
    );
  }
  if (predicted.length !== truth.length) {
    throw new MetricsError(
      'length-mismatch',
      `${what}: ${predicted.length} predicted pixels but ${truth.length} truth pixels; pass one id per pixel in both, in the same order.`,
    );
  }
  const ignored = new Set(options.ignore ?? []);
  const intersection = new Float64Array(classes);
  const union = new Float64Array(classes);
  let counted = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    if (ignored.has(t)) continue;
    const p = predicted[i]!;
    for (const [id, name] of [
      [t, 'truth'],
      [p, 'predicted'],
    ] as const) {
      if (!Number.isInteger(id) || id < 0 || id >= classes) {
        throw new MetricsError(
          'bad-label',
          `${what}: ${name} id ${String(id)} at pixel ${i} is outside [0, ${classes}); pass class ids below classes, or list the id in options.ignore.`,
        );
      }
    }
    counted++;
    if (p === t) {
      intersection[t]++;
      union[t]++;
    } else {
      union[t]++;
      union[p]++;
    }
  }
  if (counted === 0) {
    throw new MetricsError(
      'empty-input',
      `${what}: no pixel is counted (every truth id is ignored or there are no pixels); pass labelled pixels.`,
    );
  }
  const perClass = Array.from(union, (u, c) => (u === 0 ? null : intersection[c]! / u));
  const present = perClass.filter((v): v is number => v !== null);
  return { mean: present.reduce((a, b) => a + b, 0) / present.length, perClass };
}
