// The paper's two head designs (Sec. IV, Fig. 3-4, Table I) built on a feature SymbolicTensor:
// - gio: Geometric-in-One. The Euclidean classifier is replaced by a geometric one (SiO, HiO, MiO).
//   With the defaults (compact HypMLR, split product) it has no more weights than the dense
//   classifier it replaces: sphere dim*C (bias-free), ball dim*C + C, mixed dim*C + C.
// - git: Geometric-in-Two. A Euclidean classifier and a geometric branch side by side (SiT, HiT,
//   MiT), trained with l = l_E + l_G; only the geometric branch is added.
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { isCurvatureCarrier } from './curvature';
import { GeoLayersError } from './errors';
import { type BranchEntry, buildGeometricBranch, checkFeatures, checkHeadOptionKeys, type GeoHeadOptions } from './geometric-branch';
import { type GeoLoss, geoLoss } from './head-loss';
import {
  type GeoHeadSpec,
  type GeoOutputSpec,
  type GeoScoreName,
  type HeadKind,
  type OutputSpace,
  readGeoHeadSpec,
  writeGeoHeadSpec,
} from './head-spec';

export interface GitOptions extends GeoHeadOptions {
  /**
   * The Euclidean classifier, applied to the features to give the Euclidean logits (linear, no
   * softmax). Default: a new dense layer with `classes` units.
   */
  euclideanClassifier?: tfl.layers.Layer;
}

/** What git accepts beyond GeoHeadOptions. */
const GIT_OPTION_KEYS: readonly string[] = ['euclideanClassifier'];

export interface GeoHead {
  spec: GeoHeadSpec;
  /** The head's outputs, in the order of spec.outputs: classifier logits first, then embeddings. */
  outputs: tfl.SymbolicTensor[];
  /** The head's own layers (what the head adds to the feature extractor). */
  layers: tfl.layers.Layer[];
  /** Summed cross-entropy of the classifiers (l_G for GiO, l_E + l_G for GiT) on the model outputs. */
  loss: GeoLoss;
  /**
   * The curvature of `space` ('sphere' or 'poincare'): one per space, owned by the embedding layer and
   * shared by the classifier; the trained value when learned. Throws for a space the head lacks.
   */
  curvature(space: CurvedSpace): number;
}

/** The curved spaces of a head: the ones with a curvature. */
export type CurvedSpace = Exclude<OutputSpace, 'euclidean'>;

/** The current curvature behind an embedding output (the trained value when learned). */
type CurvatureOf = (output: GeoOutputSpec) => number;

/** Curvature of an embedding output, read from the layer that owns it (the trained value if learned). */
function curvatureOfOutput(layer: tfl.layers.Layer, output: GeoOutputSpec): number {
  if (!isCurvatureCarrier(layer)) {
    throw new GeoLayersError(
      `layer '${layer.name}' (${layer.getClassName()}), named for the ${output.space} output ${output.index} of the ` +
        'geo-head description, carries no curvature; the description does not match the model.',
    );
  }
  return layer.curvatureSlot(output.component).value();
}

/**
 * The curvature of `space` in a head (one per space, shared by its embedding layer and classifier),
 * the trained value when learned.
 */
function headCurvature(spec: GeoHeadSpec, curvatureOf: CurvatureOf, space: CurvedSpace): number {
  const output = spec.outputs.find((o) => o.role === 'embedding' && o.space === space);
  if (output === undefined) {
    const spaces = [...new Set(spec.outputs.filter((o) => o.role === 'embedding').map((o) => o.space))];
    throw new GeoLayersError(
      `this ${spec.geometry} head has no ${String(space)} space (its curved spaces: ${spaces.join(', ') || 'none'}).`,
    );
  }
  return curvatureOf(output);
}

function assemble(
  kind: HeadKind,
  options: GeoHeadOptions,
  logits: BranchEntry[],
  embeddings: BranchEntry[],
  layers: tfl.layers.Layer[],
  scores: GeoScoreName[],
): GeoHead {
  const entries = [...logits, ...embeddings];
  const outputs: GeoOutputSpec[] = entries.map((entry, index) => {
    const spec: GeoOutputSpec = {
      index,
      role: index < logits.length ? 'logits' : 'embedding',
      space: entry.space,
      layer: entry.layer.name,
    };
    if (entry.component !== undefined) spec.component = entry.component;
    return spec;
  });
  const spec: GeoHeadSpec = { version: 1, kind, geometry: options.geometry, classes: options.classes, outputs, scores };
  const curvatureOf: CurvatureOf = (output) => curvatureOfOutput(entries[output.index]!.layer, output);
  return {
    spec,
    outputs: entries.map((e) => e.tensor),
    layers,
    loss: geoLoss(spec),
    curvature: (space) => headCurvature(spec, curvatureOf, space),
  };
}

const GIO_SCORES: Record<GeoHeadOptions['geometry'], GeoScoreName[]> = {
  sphere: ['zS'],
  poincare: ['zH'],
  mixed: ['zM'],
};

/**
 * Geometric-in-One head (paper Sec. IV-A, Fig. 3b): geometric transformation + geometric classifier
 * on `features` [batch, dim]. Outputs: the geometric logits (sphere / ball, both for mixed), then the
 * embeddings e_G. Scores: z_S, z_H or z_M.
 */
export function gio(features: tfl.SymbolicTensor, options: GeoHeadOptions): GeoHead {
  checkHeadOptionKeys(options, [], 'gio');
  const branch = buildGeometricBranch(features, options, { mlr: 'compact', productMode: 'split' }, 'gio');
  return assemble('gio', options, branch.logits, branch.embeddings, branch.layers, GIO_SCORES[options.geometry]);
}

/**
 * Geometric-in-Two head (paper Sec. IV-B, Fig. 3c): a Euclidean classifier beside a geometric branch
 * on the same `features`. Outputs: Euclidean logits, geometric logits, then embeddings. Loss
 * l_E + l_G; scores: the baseline MSP and z_EG (z_EM for mixed).
 */
export function git(features: tfl.SymbolicTensor, options: GitOptions): GeoHead {
  checkHeadOptionKeys(options, GIT_OPTION_KEYS, 'git');
  const dim = checkFeatures(features, 'git');
  const branch = buildGeometricBranch(features, options, { mlr: 'ganea', productMode: 'duplicate' }, 'git');
  const prefix = options.name ?? 'geo';
  const classifier =
    options.euclideanClassifier ??
    tfl.layers.dense({
      name: `${prefix}_logits_e`,
      units: options.classes,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: options.seed }),
    });
  const euclidean = classifier.apply(features) as tfl.SymbolicTensor;
  if (euclidean.shape.length !== 2 || euclidean.shape[1] !== options.classes) {
    throw new GeoLayersError(
      `git: the Euclidean classifier maps ${dim} features to shape [${euclidean.shape.join(', ')}], expected [batch, ${options.classes}].`,
    );
  }
  const logits: BranchEntry[] = [{ tensor: euclidean, space: 'euclidean', layer: classifier }, ...branch.logits];
  const scores: GeoScoreName[] = options.geometry === 'mixed' ? ['msp', 'zEM'] : ['msp', 'zEG'];
  return assemble('git', options, logits, branch.embeddings, [classifier, ...branch.layers], scores);
}

/** A LayersModel from `inputs` to the head's outputs, carrying the head description (see geoHeadOf). */
export function buildGeoModel(inputs: tfl.SymbolicTensor | tfl.SymbolicTensor[], head: GeoHead, name?: string): tfl.LayersModel {
  const model = tfl.model({ inputs, outputs: head.outputs, ...(name === undefined ? {} : { name }) });
  writeGeoHeadSpec(model, head.spec);
  return model;
}

export interface GeoHeadOfModel {
  spec: GeoHeadSpec;
  loss: GeoLoss;
  /** The curvature of `space`, read from the model's layers (see GeoHead.curvature). */
  curvature(space: CurvedSpace): number;
}

/**
 * The head description, loss and curvatures of a model built here (also after loadModel). Its
 * anomaly scores: `geoHeadScores(model)` of `@curvad/geo-layers/scores`.
 */
export function geoHeadOf(model: tfl.LayersModel): GeoHeadOfModel {
  const spec = readGeoHeadSpec(model);
  const curvatureOf: CurvatureOf = (output) => {
    let layer: tfl.layers.Layer;
    try {
      layer = model.getLayer(output.layer);
    } catch (error) {
      throw new GeoLayersError(`model '${model.name}' has no layer '${output.layer}' named in its geo-head description.`, {
        cause: error,
      });
    }
    return curvatureOfOutput(layer, output);
  };
  return {
    spec,
    loss: geoLoss(spec),
    curvature: (space) => headCurvature(spec, curvatureOf, space),
  };
}

/** Run the model and return its outputs as an array (model.predict returns a bare tensor for one output). */
export function predictOutputs(model: tfl.LayersModel, x: tf.Tensor, batchSize = 256): tf.Tensor[] {
  const out = model.predict(x, { batchSize });
  return Array.isArray(out) ? out : [out];
}
