// Small shared pieces for the geometric layers: argument types tfjs-layers does not export from its
// entry point, and the input checks every layer makes.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { GeoLayersError } from './errors';
import { layerFeatureDim, perPixelShape } from './feature-maps';

/** tfjs-layers' LayerArgs (name, trainable, inputShape, ...), which its entry point does not export. */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
export type Initializer = ReturnType<typeof tfl.initializers.constant>;
export type Shape = tfl.Shape;
/** tfjs-layers' own keyword-arguments type, as `Layer.call` declares it. */
export type Kwargs = Parameters<tfl.layers.Layer['call']>[1];

/** The single input tensor of a one-input layer. */
export function singleInput(inputs: tf.Tensor | tf.Tensor[], owner: string): tf.Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) {
      throw new GeoLayersError(`${owner} takes one input tensor, got ${inputs.length}.`);
    }
    return inputs[0]!;
  }
  return inputs;
}

/** The single input shape of a one-input layer. */
export function singleShape(inputShape: Shape | Shape[], owner: string): Shape {
  if (inputShape.length > 0 && Array.isArray(inputShape[0])) {
    const shapes = inputShape as Shape[];
    if (shapes.length !== 1) throw new GeoLayersError(`${owner} takes one input, got ${shapes.length}.`);
    return shapes[0]!;
  }
  return inputShape as Shape;
}

/**
 * Check a feature shape is [batch, dim] with a known dim, and return dim: what the row heads (gio, git)
 * take. The layers themselves also take feature maps (feature-maps.ts, layerFeatureDim).
 */
export function featureDim(shape: Shape | readonly number[], owner: string): number {
  if (shape.length !== 2) {
    throw new GeoLayersError(
      `${owner} expects features of rank 2 [batch, dim], got rank ${shape.length} (shape [${shape.join(', ')}]). ` +
        'Flatten or globally pool the feature map first (e.g. tf.layers.globalAveragePooling2d), or, for per-pixel ' +
        'heads on a [batch, h, w, channels] map, use pixelGeoHead.',
    );
  }
  const dim = shape[1];
  if (dim === null || dim === undefined || !(dim > 0)) {
    throw new GeoLayersError(`${owner} needs a known feature width, got shape [${shape.join(', ')}].`);
  }
  return dim;
}

/**
 * Output shape of a layer that maps each feature row (or each pixel of a feature map, feature-maps.ts)
 * to `outputs` values: [batch, outputs] or [batch, h, w, outputs].
 */
export function rowOutputShape(inputShape: Shape | Shape[], owner: string, outputs: number): Shape {
  const shape = singleShape(inputShape, owner);
  layerFeatureDim(shape, owner);
  return perPixelShape(shape, outputs);
}

/** The single [batch, dim] or [batch, h, w, dim] input of a layer whose weights were built for `builtDim` features. */
export function builtFeatureInput(inputs: tf.Tensor | tf.Tensor[], owner: string, builtDim: number): tf.Tensor {
  const x = singleInput(inputs, owner);
  const dim = layerFeatureDim(x.shape, owner);
  if (dim !== builtDim) throw new GeoLayersError(`${owner} was built for ${builtDim} features, got ${dim}.`);
  return x;
}

/** Check a positive integer option. */
export function checkPositiveInt(value: unknown, name: string, owner: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new GeoLayersError(`${owner}: ${name} must be an integer >= ${min}, got ${String(value)}.`);
  }
  return value;
}

/** Check a finite number option within an open/closed interval description. */
/** An optional boolean option: true or false (default false), else a GeoLayersError naming it. */
export function checkFlag(value: unknown, name: string, owner: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new GeoLayersError(`${owner}: ${name} must be true or false, got ${JSON.stringify(value)}.`);
  }
  return value;
}

export function checkNumber(value: unknown, name: string, owner: string, test: (v: number) => boolean, requirement: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !test(value)) {
    throw new GeoLayersError(`${owner}: ${name} must be ${requirement}, got ${String(value)}.`);
  }
  return value;
}
