import { createBackbone } from '@curvad/backbones';
import {
  buildGeoModel,
  type GeoHeadOfModel,
  type GeoHeadSpec,
  type GeoLoss,
  geoHeadOf,
  gio,
  git,
  softmaxCrossEntropy,
} from '@curvad/geo-layers';
import * as tfl from '@tensorflow/tfjs-layers';
import { layerSeed } from '../../../core/seeds';
import { ExperimentError } from '../../../experiment-error';
import { headOptions } from '../config/head-options';
import { type ModelName, modelRecord, type OodConfig } from '../config/ood-config';
import { featureLayerName, PROJECTION_LAYER } from './feature-layer';

export interface BuiltModel {
  name: ModelName;
  model: tfl.LayersModel;
  /** The geo head's description; null for the Euclidean baseline (one output: the logits). */
  spec: GeoHeadSpec | null;
  /**
   * The geo head as built (its curvature per space: the trained value when learned), or read from a
   * loaded model's layers; null for the Euclidean baseline.
   */
  head: GeoHeadOfModel | null;
  /** Training loss on the model's outputs (l_E, l_G, or l_E + l_G). */
  loss: GeoLoss;
  /** Index of the output whose argmax is the predicted class (the Euclidean one when present). */
  predictionOutput: number;
  /** The layer the head or classifier sits on (the projection, or the backbone's output): what Mahalanobis and KNN read. */
  featureLayer: string;
}

/**
 * Backbone (+ an optional linear projection to `embeddingDim`, so small embeddings such as the
 * 2-D ones of the paper's Fig. 2 are not cut to the positive quadrant by a ReLU) + head.
 */
export function buildOodModel(
  name: ModelName,
  config: OodConfig,
  inputShape: [number, number, number],
  classes: number,
  seed: number,
): BuiltModel {
  const backbone = createBackbone(config.backbone.name, { ...config.backbone.options, inputShape, seed });
  let features = backbone.outputs[0]!;
  if (config.embeddingDim !== undefined) {
    features = tfl.layers
      .dense({
        units: config.embeddingDim,
        name: PROJECTION_LAYER,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: layerSeed(seed, 'projection') }),
      })
      .apply(features) as tfl.SymbolicTensor;
  }
  const head = modelRecord(name);
  if (head.kind === 'eloc') throw notOneNetwork(name);
  if (head.kind === 'baseline') {
    const logits = tfl.layers
      .dense({
        units: classes,
        name: 'logits_e',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: layerSeed(seed, 'baselineClassifier') }),
      })
      .apply(features) as tfl.SymbolicTensor;
    return baselineModel(name, tfl.model({ inputs: backbone.inputs, outputs: logits, name: `ood_${name}` }), featureLayerName(config));
  }
  const k = config.curvatures[head.curvatureKey];
  const options = { geometry: head.geometry, k, classes, seed: layerSeed(seed, 'head'), ...headOptions(config, head.kind) };
  const geoHead = head.kind === 'gio' ? gio(features, options) : git(features, options);
  return geoModel(name, buildGeoModel(backbone.inputs, geoHead, `ood_${name}`), geoHead, featureLayerName(config));
}

/** An ELOC model is an ensemble of networks (model/eloc-models.ts), not one network. */
function notOneNetwork(name: ModelName): ExperimentError {
  return new ExperimentError(
    `model ${name} is an ELOC ensemble of leave-out classifiers: build it with buildElocModels, not as one network.`,
  );
}

function baselineModel(name: ModelName, model: tfl.LayersModel, featureLayer: string): BuiltModel {
  return {
    name,
    model,
    spec: null,
    head: null,
    loss: (outputs, labels) => softmaxCrossEntropy(Array.isArray(outputs) ? outputs[0]! : outputs, labels),
    predictionOutput: 0,
    featureLayer,
  };
}

function geoModel(name: ModelName, model: tfl.LayersModel, head: GeoHeadOfModel, featureLayer: string): BuiltModel {
  const first = head.spec.outputs.find((o) => o.role === 'logits');
  if (!first) throw new ExperimentError(`model ${name}: its head has no classifier output.`);
  return { name, model, spec: head.spec, head, loss: head.loss, predictionOutput: first.index, featureLayer };
}

/**
 * A model saved by a run with `config` and loaded back (geo-layers' loadModel, for rescoring),
 * described as buildOodModel would (its layer names, the feature layer's too, are saved with it).
 */
export function builtFromModel(name: ModelName, model: tfl.LayersModel, config: Pick<OodConfig, 'embeddingDim'>): BuiltModel {
  const featureLayer = featureLayerName(config);
  const kind = modelRecord(name).kind;
  if (kind === 'eloc') throw notOneNetwork(name);
  return kind === 'baseline' ? baselineModel(name, model, featureLayer) : geoModel(name, model, geoHeadOf(model), featureLayer);
}
