// Per-pixel use of the geometric layers (issue 16, the segmentation heads): a feature map
// [batch, h, w, channels] is a grid of feature vectors, and every layer applies its row formula to
// each pixel independently, like a 1x1 conv. The layers fold h and w into the batch
// ([batch * h * w, channels]), apply the row formula once and unfold the result to [batch, h, w, out].
//
// Why in the layers and not a wrapper layer (perPixel(layer)): a classifier that shares its
// curvature finds the owner through the layer graph (curved-layer.ts), so it must be applied directly
// to the embedding layer's output, which a wrapper would hide; and the same class names, configs and
// weights serve rows and maps, so a saved per-pixel model loads with nothing new to register.
import * as tf from '@tensorflow/tfjs-core';
import { GeoLayersError } from './errors';
import type { Shape } from './layer-support';

/** Rank of feature rows [batch, dim]. */
export const ROW_RANK = 2;
/** Rank of NHWC feature maps [batch, h, w, channels]. */
export const FEATURE_MAP_RANK = 4;

/**
 * The feature width of a layer input: rows [batch, dim] or a feature map [batch, h, w, channels]
 * (the channels are the features of each pixel). Any other rank, or an unknown width, throws.
 */
export function layerFeatureDim(shape: Shape | readonly number[], owner: string): number {
  if (shape.length !== ROW_RANK && shape.length !== FEATURE_MAP_RANK) {
    throw new GeoLayersError(
      `${owner} expects feature rows of rank 2 [batch, dim] or feature maps of rank 4 [batch, h, w, channels] (NHWC, ` +
        `applied per pixel), got rank ${shape.length} (shape ${formatShape(shape)}). Add the missing batch axis ` +
        '(tf.expandDims(x, 0)) to a single [h, w, channels] map, or flatten / pool other features to [batch, dim].',
    );
  }
  const dim = shape[shape.length - 1];
  if (dim === null || dim === undefined || !(dim > 0)) {
    throw new GeoLayersError(`${owner} needs a known feature width (last axis), got shape ${formatShape(shape)}.`);
  }
  return dim;
}

/** A shape as written in messages, an unknown size as null: [null, 8, 8, 64]. */
function formatShape(shape: Shape | readonly number[]): string {
  return `[${shape.map((d) => d ?? 'null').join(', ')}]`;
}

/** The output shape of a layer mapping each row / pixel of `shape` to `outputs` values: the leading axes kept. */
export function perPixelShape(shape: Shape, outputs: number): Shape {
  return [...shape.slice(0, -1).map((d) => d ?? null), outputs];
}

/** `rowsFn` applied to every row of x (rank 2) or to every pixel of x (rank 4), one output per row / pixel. */
export function applyToPixels(x: tf.Tensor, rowsFn: (rows: tf.Tensor) => tf.Tensor): tf.Tensor {
  if (x.rank === ROW_RANK) return rowsFn(x);
  const [out] = applyToPixelsMany(x, (rows) => [rowsFn(rows)]);
  return out!;
}

/** As applyToPixels for a function with several row outputs (ProductEmbedding's components). */
export function applyToPixelsMany(x: tf.Tensor, rowsFn: (rows: tf.Tensor) => tf.Tensor[]): tf.Tensor[] {
  if (x.rank === ROW_RANK) return rowsFn(x);
  return tf.tidy(() => {
    const leading = x.shape.slice(0, -1);
    const rows = tf.reshape(x, [-1, x.shape[x.rank - 1]!]);
    return rowsFn(rows).map((y) => tf.reshape(y, [...leading, y.shape[1]!]));
  });
}
