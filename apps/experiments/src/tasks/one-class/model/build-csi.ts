// CSI models (Tack et al. 2020; Table VI's CSI rows): backbone (+ the optional embeddingDim
// projection) -> the shared feature f, and on f
//   (a) CSI's projection head Linear(d, d) -> ReLU -> Linear(d, csi.projectionDim), the contrastive
//       feature z of NT-Xent and of the CSI score (alinlab/CSI's simclr_layer, d = f's width),
//   (b) the Euclidean 4-way rotation ("shifting transformation") classifier (its shift_cls_layer),
//   (c) for CSI+SiT / HiT / MiT, a GiT head of geo-layers whose geometric rotation classifier(s) sit
//       on f beside (b), exactly as RotNet+SiT etc. (git: the Euclidean classifier is the head's).
// Loss on a CSI batch (csi-batches.ts): NT-Xent(z) + the summed cross-entropies of the rotation
// classifiers over all 8B rows (CSI's loss_sim + loss_shift, plus l_G for the GiT models).
import type { DetectorModel } from '@curvad/anomaly-scores';
import { ntXentLoss, ROTATIONS } from '@curvad/anomaly-scores';
import { buildGeoModel, git, softmaxCrossEntropy } from '@curvad/geo-layers';
import { geoDetectorModel } from '@curvad/geo-layers/scores';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { layerSeed } from '../../../core/seeds';
import { modelCurvature, ONE_CLASS_MODEL_TABLE, type OneClassConfig, type OneClassModelName } from '../config/one-class-config';
import { type BuiltRotNet, oneClassFeatures } from './build-model';

/** The projection head's layer names; its output layer is the 'features' output of the DetectorModel. */
export const CSI_PROJECTION_HIDDEN_LAYER = 'csi_projection_hidden';
export const CSI_PROJECTION_OUTPUT_LAYER = 'csi_projection';
/**
 * Initializer seeds of the projection head's two layers: offsets from the unit seed beside the
 * core's LAYER_SEED_OFFSETS (7, 11, 13), so the other layers start as in the RotNet models.
 */
const CSI_PROJECTION_SEED_OFFSETS = { hidden: 17, output: 19 } as const;

function inferenceOutputs(model: tfl.LayersModel, x: tf.Tensor): tf.Tensor[] {
  const out = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

function projectionHead(features: tfl.SymbolicTensor, projectionDim: number, seed: number): tfl.SymbolicTensor {
  const width = features.shape[1] as number;
  const hidden = tfl.layers
    .dense({
      units: width,
      activation: 'relu',
      name: CSI_PROJECTION_HIDDEN_LAYER,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + CSI_PROJECTION_SEED_OFFSETS.hidden }),
    })
    .apply(features) as tfl.SymbolicTensor;
  return tfl.layers
    .dense({
      units: projectionDim,
      name: CSI_PROJECTION_OUTPUT_LAYER,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + CSI_PROJECTION_SEED_OFFSETS.output }),
    })
    .apply(hidden) as tfl.SymbolicTensor;
}

/**
 * The CSI loss of the model's outputs on a CSI batch: NT-Xent of the projection output (two views,
 * temperature) plus `rotationLoss` (the rotation classifiers' summed cross-entropy) on all rows.
 */
export function csiLoss(
  projectionIndex: number,
  temperature: number,
  rotationLoss: (outputs: tf.Tensor[], labels: tf.Tensor) => tf.Scalar,
): BuiltRotNet['loss'] {
  return (outputs, labels) =>
    tf.tidy(() => {
      const list = Array.isArray(outputs) ? outputs : [outputs];
      // fit checks the loss itself; skipping the feature check saves a read-back per step.
      const contrastive = ntXentLoss(list[projectionIndex]!, { temperature, checkFinite: false });
      return tf.add(contrastive, rotationLoss(list, labels)) as tf.Scalar;
    });
}

/** Builds CSI model `name` for images of `inputShape`, its layers seeded from the unit's `seed`. */
export function buildCsi(name: OneClassModelName, config: OneClassConfig, inputShape: [number, number, number], seed: number): BuiltRotNet {
  const record = ONE_CLASS_MODEL_TABLE[name];
  const { inputs, features } = oneClassFeatures(config, inputShape, seed);
  const projection = projectionHead(features, config.csi.projectionDim, seed);
  const { temperature } = config.csi;
  if (record.geometry === null) {
    const logits = tfl.layers
      .dense({
        units: ROTATIONS,
        name: 'rotation_logits_e',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: layerSeed(seed, 'baselineClassifier') }),
      })
      .apply(features) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs, outputs: [logits, projection], name: 'csi' });
    return {
      name,
      family: 'csi',
      model,
      loss: csiLoss(1, temperature, (outputs, labels) => softmaxCrossEntropy(outputs[0]!, labels)),
      detectorModel: {
        outputs: [
          { index: 0, role: 'logits', space: 'euclidean' },
          { index: 1, role: 'features', space: 'euclidean' },
        ],
        apply: (x) => inferenceOutputs(model, x),
      },
    };
  }
  const k = modelCurvature(name, config);
  const head = git(features, { geometry: record.geometry, k, classes: ROTATIONS, seed: layerSeed(seed, 'head'), name: 'rotation' });
  const projectionIndex = head.outputs.length;
  // The head's description names its own outputs; the projection is one more output after them.
  const model = buildGeoModel(inputs, { ...head, outputs: [...head.outputs, projection] }, `csi_${record.curvatureKey}`);
  const geo = geoDetectorModel(model);
  const detectorModel: DetectorModel = {
    outputs: [...geo.outputs, { index: projectionIndex, role: 'features', space: 'euclidean' }],
    apply: (x) => inferenceOutputs(model, x),
  };
  return { name, family: 'csi', model, loss: csiLoss(projectionIndex, temperature, head.loss), detectorModel };
}
