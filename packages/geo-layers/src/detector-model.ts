// A geo-head model as the detectors of @curvad/anomaly-scores see it (getDetector(name).score(...)):
// which output is which, read from the model's head description, with the head's current
// curvature on the Poincare embedding, and a forward pass in inference mode for the detectors
// that perturb the input (ODIN). Part of the sub-entry `@curvad/geo-layers/scores`.

import type { DetectorModel, DetectorOutput } from '@curvad/anomaly-scores';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GeoLayersError } from './errors';
import { geoHeadOf } from './heads';

export interface GeoDetectorModelOptions {
  /**
   * A layer whose output is added after the model's own outputs as role 'features' (what the
   * Mahalanobis and KNN detectors fit on), e.g. the feature layer the head was attached to.
   */
  featureLayer?: string;
}

function runInference(model: tfl.LayersModel, x: tf.Tensor): tf.Tensor[] {
  const out = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/**
 * The DetectorModel of a model built by buildGeoModel / attachGeoHeads (also after loadModel). Make
 * it after training: a learned curvature is read here. With `featureLayer`, `apply` also returns
 * that layer's output last, and `data.outputs` passed to a detector must include it.
 */
export function geoDetectorModel(model: tfl.LayersModel, options: GeoDetectorModelOptions = {}): DetectorModel {
  const head = geoHeadOf(model);
  const outputs: DetectorOutput[] = head.spec.outputs.map((o) => ({
    index: o.index,
    role: o.role,
    space: o.space,
    ...(o.role === 'embedding' && o.space === 'poincare' ? { k: head.curvature('poincare') } : {}),
  }));
  let forward = model;
  if (options.featureLayer !== undefined) {
    let layer: tfl.layers.Layer;
    try {
      layer = model.getLayer(options.featureLayer);
    } catch (error) {
      throw new GeoLayersError(
        `geoDetectorModel: model '${model.name}' has no layer '${options.featureLayer}' (featureLayer); its layers: ${model.layers.map((l) => l.name).join(', ')}.`,
        { cause: error },
      );
    }
    outputs.push({ index: model.outputs.length, role: 'features', space: 'euclidean' });
    forward = tfl.model({ inputs: model.inputs, outputs: [...model.outputs, layer.output as tfl.SymbolicTensor] });
  }
  return { outputs, apply: (x) => runInference(forward, x) };
}
