// The description of a GiO / GiT head (paper Sec. IV, Fig. 3-4, Table I) that travels with a model:
// which model outputs are classifier logits (and of which space) and which are embeddings, and which
// anomaly scores fit the head. It is stored in the model's user-defined metadata, so it survives
// saveModel / loadModel and the training and scoring helpers can read it from any model.
import type * as tfl from '@tensorflow/tfjs-layers';
import { GeoLayersError } from './errors';

export type HeadKind = 'gio' | 'git';
export type HeadGeometry = 'sphere' | 'poincare' | 'mixed';
export type OutputSpace = 'euclidean' | 'sphere' | 'poincare';

export interface GeoOutputSpec {
  /** Position in the model's outputs. */
  index: number;
  role: 'logits' | 'embedding';
  space: OutputSpace;
  /** Name of the layer that produces it (to read a learned curvature). */
  layer: string;
  /** For a ProductEmbedding output: which component. */
  component?: number;
}

/** Scores of @curvad/anomaly-scores that fit a head, by the paper's names (Table I). */
export type GeoScoreName = 'msp' | 'zS' | 'zH' | 'zM' | 'zEG' | 'zEM';

export interface GeoHeadSpec {
  version: 1;
  kind: HeadKind;
  geometry: HeadGeometry;
  classes: number;
  outputs: GeoOutputSpec[];
  scores: GeoScoreName[];
}

/** Key of the head description in the model's user-defined metadata. */
export const HEAD_METADATA_KEY = 'curvadGeoHead';

/** Attach `spec` to `model` (merged into its user-defined metadata). */
export function writeGeoHeadSpec(model: tfl.LayersModel, spec: GeoHeadSpec): void {
  const existing = (model.getUserDefinedMetadata() ?? {}) as Record<string, unknown>;
  model.setUserDefinedMetadata({ ...existing, [HEAD_METADATA_KEY]: spec });
}

/** The head description of a model built by gio / git / attachGeoHeads (also after loadModel). */
export function readGeoHeadSpec(model: tfl.LayersModel): GeoHeadSpec {
  const metadata = model.getUserDefinedMetadata() as Record<string, unknown> | undefined;
  const spec = metadata?.[HEAD_METADATA_KEY] as GeoHeadSpec | undefined;
  if (spec === undefined || spec === null || typeof spec !== 'object' || !Array.isArray(spec.outputs)) {
    throw new GeoLayersError(
      `model '${model.name}' carries no geo-head description; build it with buildGeoModel(...) or attachGeoHeads(...).`,
    );
  }
  if (spec.outputs.some((o) => o.index >= model.outputs.length)) {
    throw new GeoLayersError(
      `model '${model.name}': its geo-head description names output indices beyond its ${model.outputs.length} outputs.`,
    );
  }
  return spec;
}

export function logitOutputs(spec: GeoHeadSpec): GeoOutputSpec[] {
  return spec.outputs.filter((o) => o.role === 'logits');
}

export function embeddingOutputs(spec: GeoHeadSpec): GeoOutputSpec[] {
  return spec.outputs.filter((o) => o.role === 'embedding');
}
