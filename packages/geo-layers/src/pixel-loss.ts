// The per-pixel training loss of the segmentation heads (paper Sec. V-C; the released code's
// l = l_E + 0.1 l_S + 0.1 l_H): softmax cross-entropy at every pixel, averaged over the pixels that
// carry a label (an optional ignore label, e.g. StreetHazards' unlabelled pixels, is left out).
import * as tf from '@tensorflow/tfjs-core';
import { GeoLayersError } from './errors';

/** Weight of each geometric classifier's loss beside l_E in the released segmentation code. */
export const RELEASED_GEOMETRIC_LOSS_WEIGHT = 0.1;

export interface PixelCrossEntropyOptions {
  /** Label value of pixels that take no part in the loss (e.g. 255); none by default. */
  ignoreLabel?: number;
}

/**
 * Mean softmax cross-entropy over the labelled pixels of `logits` [batch, h, w, classes] against
 * integer `labels` [batch, h, w]. Labels must lie in [0, classes) except the ignore label. With no
 * labelled pixel at all the loss is 0 (and so is its gradient), not NaN.
 */
export function pixelCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, options: PixelCrossEntropyOptions = {}): tf.Scalar {
  const owner = 'pixelCrossEntropy';
  if (logits.rank !== 4) {
    throw new GeoLayersError(`${owner}: logits must be [batch, h, w, classes], got shape [${logits.shape.join(', ')}].`);
  }
  const classes = logits.shape[3]!;
  const mapShape = logits.shape.slice(0, 3);
  if (labels.rank !== 3 || labels.shape.some((d, i) => d !== mapShape[i])) {
    throw new GeoLayersError(
      `${owner}: labels must be class ids [${mapShape.join(', ')}] matching the logits' [batch, h, w], got shape ` +
        `[${labels.shape.join(', ')}]. Upsample the logits to the label size (or resize the labels) first.`,
    );
  }
  const ignore = options.ignoreLabel;
  if (ignore !== undefined && !Number.isInteger(ignore)) {
    throw new GeoLayersError(`${owner}: ignoreLabel must be an integer, got ${String(ignore)}.`);
  }
  return tf.tidy(() => {
    const ids = tf.reshape(tf.cast(labels, 'int32'), [-1]);
    const mask = ignore === undefined ? tf.cast(tf.onesLike(ids), 'bool') : tf.notEqual(ids, ignore);
    checkLabelRange(ids, mask, classes, owner);
    const kept = tf.cast(mask, 'float32');
    const targets = tf.oneHot(tf.where(mask, ids, tf.zerosLike(ids)), classes);
    const perPixel = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(tf.reshape(logits, [-1, classes]))), -1));
    return tf.div(tf.sum(tf.mul(perPixel, kept)), tf.maximum(tf.sum(kept), 1)) as tf.Scalar;
  });
}

/** Throws unless every kept label is a class id in [0, classes) (one small readback). */
function checkLabelRange(ids: tf.Tensor, mask: tf.Tensor, classes: number, owner: string): void {
  const [low, high] = tf.tidy(() => {
    const keptIds = tf.where(mask, ids, tf.zerosLike(ids));
    return [tf.min(keptIds), tf.max(keptIds)];
  });
  const range = [low!.dataSync()[0]!, high!.dataSync()[0]!];
  low!.dispose();
  high!.dispose();
  if (range[0]! < 0 || range[1]! >= classes) {
    throw new GeoLayersError(
      `${owner}: labels must be class ids in [0, ${classes}) or the ignore label, found values in [${range[0]}, ${range[1]}]. ` +
        'Map unlabelled pixels to one value and pass it as ignoreLabel.',
    );
  }
}

export interface PixelHeadLogits {
  euclidean: tf.Tensor;
  sphere?: tf.Tensor;
  poincare?: tf.Tensor;
}

export interface PixelHeadLossOptions extends PixelCrossEntropyOptions {
  /** Weight of each geometric loss term (default RELEASED_GEOMETRIC_LOSS_WEIGHT = 0.1). */
  geometricWeight?: number;
}

/** l_E + w l_S + w l_H over the head's per-pixel logits (terms of absent classifiers left out). */
export function pixelHeadLoss(logits: PixelHeadLogits, labels: tf.Tensor, options: PixelHeadLossOptions = {}): tf.Scalar {
  const weight = options.geometricWeight ?? RELEASED_GEOMETRIC_LOSS_WEIGHT;
  if (!Number.isFinite(weight) || weight < 0) {
    throw new GeoLayersError(`pixelHeadLoss: geometricWeight must be a finite number >= 0, got ${String(weight)}.`);
  }
  if (logits?.euclidean === undefined) {
    throw new GeoLayersError('pixelHeadLoss: logits.euclidean (the Euclidean per-pixel logits) is required.');
  }
  const ce = { ignoreLabel: options.ignoreLabel };
  return tf.tidy(() => {
    const geometric = [logits.sphere, logits.poincare].filter((t): t is tf.Tensor => t !== undefined);
    const terms = [
      pixelCrossEntropy(logits.euclidean, labels, ce),
      ...geometric.map((t) => tf.mul(weight, pixelCrossEntropy(t, labels, ce))),
    ];
    return tf.addN(terms) as tf.Scalar;
  });
}
