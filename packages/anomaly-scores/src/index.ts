// @curvad/anomaly-scores: anomaly / OOD scores on tfjs tensors. Every score is oriented
// higher = more anomalous (see README for the table of formulas, papers and options).

export { AnomalyScoreError } from './errors';
export type { OutputOptions, ScoreOutput } from './output';

// The paper's scores (Curved Geometric Networks for Visual Anomaly Recognition)
export { type GeometricOutput, oneMinusTanh } from './geometric-output';
export { type MaxSoftmaxOptions, maxSoftmaxScore } from './max-softmax-score';
export { type GeometricScoreOptions, sphericalScore } from './spherical-score';
export { type HyperbolicScoreOptions, hyperbolicScore } from './hyperbolic-score';
export { type MixedComponent, mixedScore } from './mixed-score';
export {
  type DivergenceDirection,
  type DivergenceInput,
  type DivergenceScoreOptions,
  divergenceScore,
} from './divergence-score';
export { type MixedDivergenceScoreOptions, mixedDivergenceScore } from './mixed-divergence-score';

// ODIN, for the Euclidean and the geometric heads
export {
  type ModelFunction,
  type OdinOptions,
  type OdinScoreKind,
  ODIN_DEFAULT_EPSILON,
  ODIN_DEFAULT_TEMPERATURE,
  odinPerturb,
  odinScore,
} from './odin';

// Standard detectors
export { maxLogitScore } from './max-logit-score';
export { type EnergyOptions, energyScore } from './energy-score';
export {
  type MahalanobisDetector,
  type MahalanobisFitOptions,
  type MahalanobisPerturbOptions,
  fitMahalanobis,
} from './mahalanobis';
export { type KnnDetector, type KnnFitOptions, fitKnn } from './knn';

// Detectors by name (higher = more anomalous): { name, fit?, score } over a described model
export type {
  Detector,
  DetectorData,
  DetectorFactory,
  DetectorModel,
  DetectorOutput,
  DetectorOutputRole,
  DetectorOutputSpace,
} from './detector';
export { getDetector, listDetectors, registerDetector, unregisterDetector } from './detector-registry';
