import type * as tfl from '@tensorflow/tfjs-layers';
import { convStack } from './conv-stack';
import type { ConvStackOptions } from './conv-stack-options';
import { type Conv4Options, conv4 } from './conv4';
import { type DenseNetBCOptions, denseNetBC } from './densenet-bc';
import { BackboneError } from './errors';
import { type LeNetOptions, lenet } from './lenet';
import { type PatchSvddEncoderOptions, patchSvddEncoder } from './patch-svdd';
import { type ResNet18Options, resnet18 } from './resnet18';
import { type SegmentationUNetOptions, segmentationUNet } from './segmentation-unet';
import { type SmallCnnOptions, smallCnn } from './small-cnn';
import { type WideResNetOptions, wideResNet } from './wide-resnet';

type WrnPresetOptions = Omit<WideResNetOptions, 'depth' | 'widen'>;
type DenseNetPresetOptions = Omit<DenseNetBCOptions, 'depth' | 'growthRate'>;
type PatchSvddPresetOptions = Omit<PatchSvddEncoderOptions, 'patchSize'>;

/** Every registered name and the options it takes. */
export interface BackboneOptionsByName {
  conv4: Conv4Options;
  'conv-stack': ConvStackOptions;
  lenet: LeNetOptions;
  'small-cnn': SmallCnnOptions;
  resnet18: ResNet18Options;
  'wide-resnet': WideResNetOptions;
  'wrn-16-4': WrnPresetOptions;
  'wrn-28-10': WrnPresetOptions;
  'wrn-40-2': WrnPresetOptions;
  'densenet-bc': DenseNetBCOptions;
  'densenet-bc-100-12': DenseNetPresetOptions;
  'patch-svdd': PatchSvddEncoderOptions;
  'patch-svdd-32': PatchSvddPresetOptions;
  'patch-svdd-64': PatchSvddPresetOptions;
  'segmentation-unet': SegmentationUNetOptions;
}

export type BackboneName = keyof BackboneOptionsByName;

type Factory = (options: Record<string, unknown>) => tfl.LayersModel;

/** A preset fixes some options; passing a different value for one of them is a mistake worth reporting. */
function preset<O extends object>(name: string, build: (options: O) => tfl.LayersModel, fixed: Partial<O>): Factory {
  return (options) => {
    for (const [key, value] of Object.entries(fixed)) {
      if (key in options && options[key] !== undefined && options[key] !== value) {
        throw new BackboneError(
          `createBackbone('${name}'): ${key} is fixed to ${String(value)} by this preset, got ${String(options[key])}; ` +
            `use the generic name without the preset to choose it.`,
        );
      }
    }
    return build({ ...(options as O), ...fixed });
  };
}

const REGISTRY: Record<BackboneName, Factory> = {
  conv4: (o) => conv4(o as Conv4Options),
  'conv-stack': (o) => convStack(o as ConvStackOptions),
  lenet: (o) => lenet(o as LeNetOptions),
  'small-cnn': (o) => smallCnn(o as SmallCnnOptions),
  resnet18: (o) => resnet18(o as ResNet18Options),
  'wide-resnet': (o) => wideResNet(o as WideResNetOptions),
  'wrn-16-4': preset('wrn-16-4', wideResNet, { depth: 16, widen: 4 }),
  'wrn-28-10': preset('wrn-28-10', wideResNet, { depth: 28, widen: 10 }),
  'wrn-40-2': preset('wrn-40-2', wideResNet, { depth: 40, widen: 2 }),
  'densenet-bc': (o) => denseNetBC(o as DenseNetBCOptions),
  'densenet-bc-100-12': preset('densenet-bc-100-12', denseNetBC, { depth: 100, growthRate: 12 }),
  'patch-svdd': (o) => patchSvddEncoder(o as PatchSvddEncoderOptions),
  'patch-svdd-32': preset('patch-svdd-32', patchSvddEncoder, { patchSize: 32 }),
  'patch-svdd-64': preset('patch-svdd-64', patchSvddEncoder, { patchSize: 64 }),
  'segmentation-unet': (o) => segmentationUNet(o as SegmentationUNetOptions),
};

/** The names `createBackbone` accepts, sorted. */
export function listBackbones(): BackboneName[] {
  return (Object.keys(REGISTRY) as BackboneName[]).sort();
}

/**
 * Builds a backbone by name (timm-style): `createBackbone('wrn-28-10', { seed: 1 })`. The model's
 * output is the embedding (layer `embedding`); put a head on it with `withClassifier` or a geo-layers head.
 */
export function createBackbone<N extends BackboneName>(name: N, options?: BackboneOptionsByName[N]): tfl.LayersModel;
export function createBackbone(name: string, options?: object): tfl.LayersModel;
export function createBackbone(name: string, options: object = {}): tfl.LayersModel {
  if (!Object.hasOwn(REGISTRY, name)) {
    throw new BackboneError(`Unknown backbone '${name}'. Known backbones: ${listBackbones().join(', ')}.`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new BackboneError(`createBackbone('${name}'): options must be an object, got ${String(options)}.`);
  }
  return REGISTRY[name as BackboneName](options as Record<string, unknown>);
}
