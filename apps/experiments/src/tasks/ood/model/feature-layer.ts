// The backbone feature of an OOD model: the layer its head or its Euclidean classifier sits on, which
// the detectors fitted on ID training features (Mahalanobis, KNN) read. Found by name, so a model
// saved by a run and loaded back for rescoring has it too.
import * as tfl from '@tensorflow/tfjs-layers';
import { ExperimentError } from '../../../experiment-error';
import type { OodConfig } from '../config/ood-config';

/** The output layer of every @curvad/backbones backbone (the contract in that package's README). */
export const BACKBONE_FEATURE_LAYER = 'embedding';
/** The dense projection to `embeddingDim` after the backbone, when the config sets one. */
export const PROJECTION_LAYER = 'projection';

/** The layer the head or classifier reads: the projection when `embeddingDim` is set, else the backbone's output. */
export function featureLayerName(config: Pick<OodConfig, 'embeddingDim'>): string {
  return config.embeddingDim === undefined ? BACKBONE_FEATURE_LAYER : PROJECTION_LAYER;
}

/**
 * `model` with the output of layer `layerName` appended as its last output: the same layers and
 * weights (nothing of its own to dispose), one forward pass for the outputs and the feature.
 */
export function withFeatureOutput(model: tfl.LayersModel, layerName: string): tfl.LayersModel {
  let layer: tfl.layers.Layer;
  try {
    layer = model.getLayer(layerName);
  } catch (error) {
    throw new ExperimentError(
      `model '${model.name}' has no layer '${layerName}', the feature layer Mahalanobis and KNN read (its layers: ${model.layers.map((l) => l.name).join(', ')}); ` +
        `use a backbone whose output layer is named '${BACKBONE_FEATURE_LAYER}' (every @curvad/backbones backbone), or set embeddingDim.`,
      { cause: error },
    );
  }
  return tfl.model({
    inputs: model.inputs,
    outputs: [...model.outputs, layer.output as tfl.SymbolicTensor],
    name: `${model.name}_features`,
  });
}
