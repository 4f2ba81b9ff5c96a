// @curvad/geo-layers: the paper's spherical and hyperbolic heads as tfjs-layers Layers.
// Importing this module registers every layer class with tfjs serialization (sideEffects: true).

export { AngularLinear, type AngularLinearArgs, type AngularVariant, angularLogits } from './angular-linear';
export { type AttachGeoHeadsOptions, attachGeoHeads } from './attach-geo-heads';
export { DEFAULT_XI, MIN_XI } from './ball-margin';
export { softmaxCrossEntropy } from './cross-entropy';
export {
  type CurvatureCarrier,
  type CurvatureSlot,
  type CurvedGeometry,
  isCurvatureCarrier,
  MIN_LEARNED_CURVATURE,
} from './curvature';
export { GeoLayersError } from './errors';
export {
  FitAbortedError,
  type FitEpoch,
  type FitHistory,
  type FitOptions,
  type FitStep,
  fit,
  type StepScheduleOptions,
  stepSchedule,
  type TrainBatch,
} from './fit';
export { type FitGeoHistory, type FitGeoOptions, fitGeoModel, geoAccuracy } from './fit-geo-model';
// Heads, training (the scores that fit a head: the sub-entry @curvad/geo-layers/scores).
export type { GeoHeadOptions, SphereComposition } from './geometric-branch';
export { type GeoLoss, geoLoss } from './head-loss';
export {
  type GeoHeadSpec,
  type GeoOutputSpec,
  type GeoScoreName,
  HEAD_METADATA_KEY,
  type HeadGeometry,
  type HeadKind,
  type OutputSpace,
  readGeoHeadSpec,
} from './head-spec';
export {
  buildGeoModel,
  type CurvedSpace,
  type GeoHead,
  type GeoHeadOfModel,
  type GitOptions,
  geoHeadOf,
  gio,
  git,
  predictOutputs,
} from './heads';
export { HypLinear, type HypLinearArgs, hypLinear } from './hyp-linear';
export { HypMLR, type HypMLRArgs, hypMlrLogits, type MlrParametrization, mlrParameters } from './hyp-mlr';
// Save / load on plain Node file I/O.
export { loadModel, MODEL_FILE, type SavedModelInfo, saveModel, WEIGHTS_FILE } from './model-io';
// Per-pixel heads of the segmentation task (every layer also takes feature maps [batch, h, w, channels]).
export { type PixelGeoHead, type PixelGeoHeadOptions, pixelGeoHead, RELEASED_XI } from './pixel-geo-head';
export {
  type PixelCrossEntropyOptions,
  type PixelHeadLogits,
  type PixelHeadLossOptions,
  pixelCrossEntropy,
  pixelHeadLoss,
  RELEASED_GEOMETRIC_LOSS_WEIGHT,
} from './pixel-loss';
export { type PredictBatchesOptions, predictBatches } from './predict-batches';
export {
  type ComponentGeometry,
  type ProductComponentSpec,
  ProductEmbedding,
  type ProductEmbeddingArgs,
  type ProductMode,
} from './product-embedding';
export {
  type PoincareEmbeddingOptions,
  type PoincareMode,
  poincareEmbedding,
  ToPoincare,
  type ToPoincareArgs,
} from './to-poincare';
// Layers (each a tf.layers.Layer subclass, serializable under a 'Curvad...' class name).
export { sphereEmbedding, ToSphere, type ToSphereArgs } from './to-sphere';
