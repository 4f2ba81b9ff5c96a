// Plug a GiO / GiT head into a tfjs LayersModel the user already has (DESIGN.md user 2): cut the
// model at its feature layer and build a new model with the head. The user's layers are shared, not
// copied, so their pretrained weights are kept.
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GeoLayersError } from './errors';
import { checkFeatures, checkHeadOptionKeys, type GeoHeadOptions } from './geometric-branch';
import type { HeadKind } from './head-spec';
import { buildGeoModel, gio, git } from './heads';

export interface AttachGeoHeadsOptions extends GeoHeadOptions {
  /** Name of the layer whose output is the feature e_E [batch, dim] (e.g. the global pooling layer). */
  featureLayer: string;
  /** 'gio' (replace the classifier) or 'git' (add a geometric branch beside a Euclidean classifier). */
  head: HeadKind;
  /**
   * GiT only: the name of the model's own Euclidean classifier, a Dense layer applied to the feature
   * layer's output. Its weights are copied into the head's Euclidean classifier, which outputs
   * linear logits (the cross-entropy works on logits, so a softmax activation is dropped). Default:
   * a new dense classifier.
   */
  classifierLayer?: string;
}

/** What attachGeoHeads accepts beyond GeoHeadOptions. */
const ATTACH_OPTION_KEYS: readonly string[] = ['featureLayer', 'head', 'classifierLayer'];

function getLayer(model: tfl.LayersModel, name: string, what: string): tfl.layers.Layer {
  const found = model.layers.find((layer) => layer.name === name);
  if (found === undefined) {
    throw new GeoLayersError(
      `attachGeoHeads: the model has no ${what} layer '${name}'. Its layers are: ${model.layers.map((l) => l.name).join(', ')}.`,
    );
  }
  return found;
}

/**
 * A linear Dense layer shaped like the user's dense classifier, and the weights to give it once
 * git() has applied (and so built) it. Building it by hand outside apply() would give its weights
 * unscoped names ('kernel' instead of 'geo_logits_e/kernel'), which a saved model cannot map back.
 */
function denseClassifierCopy(
  user: tfl.layers.Layer,
  classes: number,
  featureWidth: number,
  prefix: string,
): { layer: tfl.layers.Layer; weights: tf.Tensor[] } {
  if (user.getClassName() !== 'Dense') {
    throw new GeoLayersError(
      `attachGeoHeads: classifierLayer '${user.name}' is a ${user.getClassName()}, not a Dense layer; omit classifierLayer to get a new Euclidean classifier.`,
    );
  }
  const config = user.getConfig();
  if (config.units !== classes) {
    throw new GeoLayersError(`attachGeoHeads: classifierLayer '${user.name}' has ${String(config.units)} units but classes is ${classes}.`);
  }
  const weights = user.getWeights();
  if (weights[0]!.shape[0] !== featureWidth) {
    throw new GeoLayersError(
      `attachGeoHeads: classifierLayer '${user.name}' takes ${weights[0]!.shape[0]} inputs but the feature layer gives ${featureWidth}; ` +
        'name the Dense layer that is applied to the feature layer.',
    );
  }
  const layer = tfl.layers.dense({ name: `${prefix}_logits_e`, units: classes, useBias: config.useBias !== false });
  return { layer, weights };
}

/**
 * A new LayersModel: the user's model up to `featureLayer`, followed by a GiO or GiT head. It has the
 * user's inputs, the head's outputs (see gio / git) and carries the head description (geoHeadOf,
 * fitGeoModel, saveModel all use it).
 */
export function attachGeoHeads(model: tfl.LayersModel, options: AttachGeoHeadsOptions): tfl.LayersModel {
  checkHeadOptionKeys(options, ATTACH_OPTION_KEYS, 'attachGeoHeads');
  // gio / git get the head options only (they reject attachGeoHeads' own keys).
  const { featureLayer: _featureLayer, head: _head, classifierLayer: _classifierLayer, ...headOptions } = options;
  if (options.head !== 'gio' && options.head !== 'git') {
    throw new GeoLayersError(`attachGeoHeads: head must be 'gio' or 'git', got '${String(options.head)}'.`);
  }
  const featureLayer = getLayer(model, options.featureLayer, 'feature');
  const features = featureLayer.output;
  if (Array.isArray(features)) {
    throw new GeoLayersError(
      `attachGeoHeads: feature layer '${options.featureLayer}' has ${features.length} outputs; name a layer with one [batch, dim] output.`,
    );
  }
  const prefix = options.name ?? 'geo';
  if (model.layers.some((layer) => layer.name.startsWith(`${prefix}_`))) {
    throw new GeoLayersError(
      `attachGeoHeads: the model already has layers named '${prefix}_...'; pass another name prefix (options.name).`,
    );
  }
  if (options.head === 'gio') {
    if (options.classifierLayer !== undefined) {
      throw new GeoLayersError('attachGeoHeads: classifierLayer applies to GiT only; GiO replaces the classifier.');
    }
    return buildGeoModel(model.inputs, gio(features, headOptions), `${model.name}_gio`);
  }
  const copy =
    options.classifierLayer === undefined
      ? undefined
      : denseClassifierCopy(
          getLayer(model, options.classifierLayer, 'classifier'),
          options.classes,
          checkFeatures(features, 'attachGeoHeads'),
          prefix,
        );
  const head = git(features, copy === undefined ? headOptions : { ...headOptions, euclideanClassifier: copy.layer });
  copy?.layer.setWeights(copy.weights);
  return buildGeoModel(model.inputs, head, `${model.name}_git`);
}
