// The curated public API: an accidental export or a removed one fails here (update the lists on purpose).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportedNames } from '../../../tools/test-setup/export-names';
import * as api from './index';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Run-time names of src/index.ts (checked against the module). */
const VALUES = [
  'BackboneError',
  'FusedBatchNormalization',
  'NormalizedLinear',
  'conv4',
  'convStack',
  'createBackbone',
  'denseNetBC',
  'fusedBatchNormalization',
  'lenet',
  'listBackbones',
  'parameterCount',
  'patchSvddEncoder',
  'patchSvddInnerEncoder',
  'patchSvddPositionClassifier',
  'resnet18',
  'segmentationUNet',
  'smallCnn',
  'wideResNet',
  'withClassifier',
];

/** Type-only names of src/index.ts (checked against its export statements). */
const TYPES = [
  'BackboneName',
  'BackboneOptions',
  'BackboneOptionsByName',
  'ClassifierOptions',
  'Conv4Options',
  'ConvStackActivation',
  'ConvStackLayer',
  'ConvStackOptions',
  'ConvStackPool',
  'ConvStackReduce',
  'DenseNetBCOptions',
  'FusedBatchNormalizationArgs',
  'ImageShape',
  'InitScheme',
  'LeNetOptions',
  'MemoryMode',
  'ParameterCount',
  'PatchSvddEncoderOptions',
  'PatchSvddPositionClassifierOptions',
  'ResNet18Options',
  'SegmentationUNetOptions',
  'SmallCnnOptions',
  'WideResNetOptions',
];

describe('public API', () => {
  it('@curvad/backbones exports exactly the listed names', () => {
    expect(Object.keys(api).sort()).toEqual(VALUES);
    expect(exportedNames(join(SRC, 'index.ts'))).toEqual([...VALUES, ...TYPES].sort());
  });
});
