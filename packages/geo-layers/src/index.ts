// @curvad/geo-layers: the paper's spherical and hyperbolic heads as tfjs-layers Layers.
// Importing this module registers every layer class with tfjs serialization (sideEffects: true).
export { GeoLayersError } from './errors';
export {
  MIN_LEARNED_CURVATURE,
  isCurvatureCarrier,
  type CurvatureSlot,
  type CurvatureCarrier,
  type CurvedGeometry,
} from './curvature';

// Layers (each a tf.layers.Layer subclass, serializable under a 'Curvad...' class name).
export { ToSphere, sphereEmbedding, type ToSphereArgs } from './to-sphere';
export {
  ToPoincare,
  poincareEmbedding,
  DEFAULT_XI,
  type ToPoincareArgs,
  type PoincareMode,
  type PoincareEmbeddingOptions,
} from './to-poincare';
export { AngularLinear, angularLogits, type AngularLinearArgs, type AngularVariant } from './angular-linear';
export { HypLinear, hypLinear, type HypLinearArgs } from './hyp-linear';
export { HypMLR, hypMlrLogits, mlrParameters, type HypMLRArgs, type MlrParametrization } from './hyp-mlr';
export {
  ProductEmbedding,
  type ProductEmbeddingArgs,
  type ProductComponentSpec,
  type ComponentGeometry,
  type ProductMode,
} from './product-embedding';

// Heads, training (the scores that fit a head: the sub-entry @curvad/geo-layers/scores).
export type { GeoHeadOptions } from './geometric-branch';
export {
  gio,
  git,
  buildGeoModel,
  geoHeadOf,
  predictOutputs,
  type GeoHead,
  type GitOptions,
  type GeoHeadOfModel,
  type CurvedSpace,
} from './heads';
export { attachGeoHeads, type AttachGeoHeadsOptions } from './attach-geo-heads';
export {
  HEAD_METADATA_KEY,
  readGeoHeadSpec,
  type GeoHeadSpec,
  type GeoOutputSpec,
  type GeoScoreName,
  type HeadGeometry,
  type HeadKind,
  type OutputSpace,
} from './head-spec';
export { geoLoss, type GeoLoss } from './head-loss';
export { softmaxCrossEntropy } from './cross-entropy';
export { fitGeoModel, geoAccuracy, type FitGeoOptions, type FitGeoHistory } from './fit-geo-model';

// Save / load on plain Node file I/O.
export { saveModel, loadModel, MODEL_FILE, WEIGHTS_FILE, type SavedModelInfo } from './model-io';
