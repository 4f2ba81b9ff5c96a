// RotNet models (Table VI): backbone (+ an optional projection) -> the shared feature -> a
// Euclidean 4-way rotation classifier, and for RotNet+SiT/HiT/MiT a GiT head whose geometric
// rotation classifier(s) sit on the same feature (geo-layers' git: loss l_E + l_G, the sum).
import type { DetectorModel } from '@curvad/anomaly-scores';
import { ROTATIONS } from '@curvad/anomaly-scores';
import { createBackbone } from '@curvad/backbones';
import { buildGeoModel, type GeoLoss, git, softmaxCrossEntropy } from '@curvad/geo-layers';
import { geoDetectorModel } from '@curvad/geo-layers/scores';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { layerSeed } from '../../../core/seeds';
import {
  type ModelFamily,
  modelCurvature,
  ONE_CLASS_MODEL_TABLE,
  type OneClassConfig,
  type OneClassModelName,
} from '../config/one-class-config';

/** The projection layer's name (the feature the rotation heads share when embeddingDim is set). */
export const ONE_CLASS_PROJECTION_LAYER = 'projection';

export interface BuiltRotNet {
  name: OneClassModelName;
  /** RotNet (rotation batches) or CSI (two augmented views of each rotation, NT-Xent added). */
  family: ModelFamily;
  model: tfl.LayersModel;
  /** Sum of the rotation heads' cross-entropies on the model's outputs (CSI: plus NT-Xent of the projection). */
  loss: GeoLoss;
  /** The model as the detectors of @curvad/anomaly-scores see it. */
  detectorModel: DetectorModel;
}

function inferenceOutputs(model: tfl.LayersModel, x: tf.Tensor): tf.Tensor[] {
  const out = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/** The backbone's input and the shared feature (after the embeddingDim projection, when set), seeded from the unit's `seed`. */
export function oneClassFeatures(
  config: OneClassConfig,
  inputShape: [number, number, number],
  seed: number,
): { inputs: tfl.SymbolicTensor[]; features: tfl.SymbolicTensor } {
  const backbone = createBackbone(config.backbone.name, { ...config.backbone.options, inputShape, seed });
  let features = backbone.outputs[0]!;
  if (config.embeddingDim !== undefined) {
    features = tfl.layers
      .dense({
        units: config.embeddingDim,
        name: ONE_CLASS_PROJECTION_LAYER,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: layerSeed(seed, 'projection') }),
      })
      .apply(features) as tfl.SymbolicTensor;
  }
  return { inputs: backbone.inputs, features };
}

/** Builds RotNet model `name` for images of `inputShape`, its layers seeded from the unit's `seed`. */
export function buildRotNet(
  name: OneClassModelName,
  config: OneClassConfig,
  inputShape: [number, number, number],
  seed: number,
): BuiltRotNet {
  const { inputs, features } = oneClassFeatures(config, inputShape, seed);
  const record = ONE_CLASS_MODEL_TABLE[name];
  if (record.geometry === null) {
    const logits = tfl.layers
      .dense({
        units: ROTATIONS,
        name: 'rotation_logits_e',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: layerSeed(seed, 'baselineClassifier') }),
      })
      .apply(features) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs, outputs: logits, name: 'rotnet' });
    return {
      name,
      family: 'rotnet',
      model,
      loss: (outputs, labels) => softmaxCrossEntropy(Array.isArray(outputs) ? outputs[0]! : outputs, labels),
      detectorModel: { outputs: [{ index: 0, role: 'logits', space: 'euclidean' }], apply: (x) => inferenceOutputs(model, x) },
    };
  }
  const head = git(features, {
    geometry: record.geometry,
    k: modelCurvature(name, config),
    classes: ROTATIONS,
    seed: layerSeed(seed, 'head'),
    name: 'rotation',
  });
  const model = buildGeoModel(inputs, head, `rotnet_${record.curvatureKey}`);
  return { name, family: 'rotnet', model, loss: head.loss, detectorModel: geoDetectorModel(model) };
}
