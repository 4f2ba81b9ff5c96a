export type { BackboneOptions, ImageShape } from './backbone-options';
export { BackboneError } from './errors';
export type { InitScheme } from './initializers';
export { conv4, type Conv4Options } from './conv4';
export { lenet, type LeNetOptions } from './lenet';
export { smallCnn, type SmallCnnOptions } from './small-cnn';
export { resnet18, type ResNet18Options } from './resnet18';
export { wideResNet, type WideResNetOptions } from './wide-resnet';
export { denseNetBC, type DenseNetBCOptions } from './densenet-bc';
export {
  patchSvddEncoder,
  patchSvddInnerEncoder,
  patchSvddPositionClassifier,
  type PatchSvddEncoderOptions,
  type PatchSvddPositionClassifierOptions,
} from './patch-svdd';
export { NormalizedLinear } from './normalized-linear';
export { segmentationUNet, type SegmentationUNetOptions } from './segmentation-unet';
export { withClassifier, type ClassifierOptions } from './with-classifier';
export { parameterCount, type ParameterCount } from './parameter-count';
export { createBackbone, listBackbones, type BackboneName, type BackboneOptionsByName } from './registry';
