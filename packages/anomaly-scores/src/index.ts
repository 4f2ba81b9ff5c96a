// @curvad/anomaly-scores: anomaly / OOD scores on tfjs tensors. Every score is oriented
// higher = more anomalous (see README for the table of formulas, papers and options).

// CSI (Tack et al. 2020, one-class detection): SimCLR's NT-Xent loss and the CSI score
export {
  type CsiBalancing,
  type CsiDetector,
  type CsiFeatures,
  type CsiFitOptions,
  type CsiOutput,
  type CsiScoreOptions,
  csiScore,
  fitCsi,
} from './csi-score';
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
export {
  type DivergenceDirection,
  type DivergenceInput,
  type DivergenceScoreOptions,
  divergenceScore,
} from './divergence-score';
export { ELOC_DEFAULT_EPSILON, type ElocDetectorOptions, type ElocPerturbation } from './eloc-detector';
// ELOC (Vyas et al. 2018): the leave-out classifiers' loss term and score
export { ELOC_DEFAULT_TEMPERATURE, type ElocOutput, type ElocScoreOptions, elocScore } from './eloc-score';
export { type EnergyOptions, energyScore } from './energy-score';
export { AnomalyScoreError } from './errors';
// The paper's scores (Curved Geometric Networks for Visual Anomaly Recognition)
export { type GeometricOutput, oneMinusTanh } from './geometric-output';
export { type HyperbolicScoreOptions, hyperbolicScore } from './hyperbolic-score';
export { fitKnn, type KnnDetector, type KnnFitOptions } from './knn';
export {
  fitMahalanobis,
  type MahalanobisDetector,
  type MahalanobisFitOptions,
  type MahalanobisPerturbOptions,
} from './mahalanobis';
// Standard detectors
export {
  ELOC_DEFAULT_BETA,
  ELOC_DEFAULT_MARGIN,
  type MarginEntropyLossOptions,
  marginEntropyLoss,
} from './margin-entropy-loss';
export { maxLogitScore } from './max-logit-score';
export { type MaxSoftmaxOptions, maxSoftmaxScore } from './max-softmax-score';
export { type MixedDivergenceScoreOptions, mixedDivergenceScore } from './mixed-divergence-score';
export { type MixedComponent, mixedScore } from './mixed-score';
export { NT_XENT_DEFAULT_TEMPERATURE, type NtXentLossOptions, ntXentLoss } from './nt-xent-loss';
// ODIN, for the Euclidean and the geometric heads
export {
  type ModelFunction,
  ODIN_DEFAULT_EPSILON,
  ODIN_DEFAULT_TEMPERATURE,
  type OdinOptions,
  type OdinScoreKind,
  odinPerturb,
  odinScore,
} from './odin';
export type { OutputOptions, ScoreOutput } from './output';
// RotNet (one-class detection): the four rotations and the rotation-head scores
export { ROTATIONS, rotateEachImage, rotateImages } from './rotate-images';
export { RELEASED_WRONG_ROTATION_SCORE, releasedRotationScore, rotationCrossEntropyScore } from './rotation-scores';
export { type GeometricScoreOptions, sphericalScore } from './spherical-score';
