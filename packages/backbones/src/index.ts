export type { BackboneOptions, ImageShape } from './backbone-options';
export { convStack } from './conv-stack';
export type {
  ConvStackActivation,
  ConvStackLayer,
  ConvStackOptions,
  ConvStackPool,
  ConvStackReduce,
} from './conv-stack-options';
export { type Conv4Options, conv4 } from './conv4';
export { type DenseNetBCOptions, denseNetBC } from './densenet-bc';
export { BackboneError } from './errors';
export {
  FusedBatchNormalization,
  type FusedBatchNormalizationArgs,
  fusedBatchNormalization,
} from './fused-batch-normalization';
export type { InitScheme } from './initializers';
export { type LeNetOptions, lenet } from './lenet';
export { NormalizedLinear } from './normalized-linear';
export { type ParameterCount, parameterCount } from './parameter-count';
export {
  type PatchSvddEncoderOptions,
  type PatchSvddPositionClassifierOptions,
  patchSvddEncoder,
  patchSvddInnerEncoder,
  patchSvddPositionClassifier,
} from './patch-svdd';
export type { MemoryMode } from './recomputed-block';
export { type BackboneName, type BackboneOptionsByName, createBackbone, listBackbones } from './registry';
export { type ResNet18Options, resnet18 } from './resnet18';
export { type SegmentationUNetOptions, segmentationUNet } from './segmentation-unet';
export { type SmallCnnOptions, smallCnn } from './small-cnn';
export { type WideResNetOptions, wideResNet } from './wide-resnet';
export { type ClassifierOptions, withClassifier } from './with-classifier';
