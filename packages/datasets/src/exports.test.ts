// The curated public API: an accidental export or a removed one fails here (update the lists on purpose).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportedNames } from '../../../tools/test-setup/export-names';
import * as api from './index';
import * as tfjsApi from './tfjs';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Run-time names of src/index.ts (checked against the module). */
const VALUES = [
  'CIFAR10_CLASS_NAMES',
  'CIFAR10_MEAN',
  'CIFAR10_STD',
  'CIFAR_FILES',
  'DATASET_SOURCES',
  'DATA_ENV_VAR',
  'DatasetError',
  'FASHION_MNIST_CLASS_NAMES',
  'IDX_DATASET_FILES',
  'MNIST_CLASS_NAMES',
  'MVTEC_CATEGORIES',
  'ODIN_IMAGE_SIDE',
  'ODIN_OOD_SETS',
  'PATCH_DIRECTIONS',
  'STREET_HAZARDS_ANOMALY_CLASS',
  'STREET_HAZARDS_CLASS_NAMES',
  'SYSTEM_DATA_ROOT',
  'TINY_IMAGENET_SPLITS',
  'batches',
  'checkIdxDatasetFile',
  'checkIdxFile',
  'checkRecordFile',
  'cifar10',
  'cifar100',
  'cifarRecordBytes',
  'composeAugmentations',
  'createRng',
  'cutPasteAnomalies',
  'dataSearchDirs',
  'decodeImage',
  'decodeLabelMap',
  'downloadFile',
  'encodeIdxUint8',
  'encodeJpeg',
  'encodePng',
  'extractPatch',
  'fashionMnist',
  'fetchDataset',
  'fetchSource',
  'fileDigest',
  'flipHorizontal',
  'formatProgress',
  'indicesOfClass',
  'leaveOutFolds',
  'leaveOutSplit',
  'listFetchableDatasets',
  'listImageFiles',
  'locateCifarDataset',
  'locateIdxDataset',
  'locateMvtecAd',
  'locateOdinOodSet',
  'locateStreetHazards',
  'locateTinyImageNet',
  'mnist',
  'mvtecAd',
  'nearbyPairs',
  'normalizePixels',
  'odinOodSet',
  'oneClassSplit',
  'parseIdx',
  'patchGrid',
  'positionPairs',
  'progressBar',
  'randomCropWithPadding',
  'randomHorizontalFlip',
  'readIdx',
  'readImageFolder',
  'readMnistPackage',
  'recordFile',
  'recordFolder',
  'rotate90',
  'rotationBatch',
  'samplePatches',
  'segmentationScenes',
  'shiftImage',
  'shuffledIndices',
  'streetHazards',
  'takeImages',
  'tinyImageNet',
  'userCacheDir',
];

/** Type-only names of src/index.ts (checked against its export statements). */
const TYPES = [
  'Augmentation',
  'Batch',
  'BatchOptions',
  'Checksum',
  'Cifar100Options',
  'Cifar100Set',
  'CifarName',
  'CifarOptions',
  'CutPasteOptions',
  'CutPastePaste',
  'CutPasteSet',
  'DataFileRecord',
  'DatasetName',
  'DatasetSource',
  'DecodeOptions',
  'DecodedImage',
  'DownloadOptions',
  'DownloadProgress',
  'DownloadResult',
  'FetchOptions',
  'FetchResult',
  'FileCheck',
  'FileSetLocation',
  'FitMode',
  'HWC',
  'IdxArray',
  'IdxData',
  'IdxDatasetOptions',
  'ImageFolderLocation',
  'ImageFolderOptions',
  'ImageSet',
  'ImageShape',
  'LeaveOutFold',
  'LeaveOutSplit',
  'MnistOptions',
  'MvtecCategory',
  'MvtecOptions',
  'MvtecSet',
  'Normalization',
  'OdinOodSetName',
  'OdinOodSetOptions',
  'OneClassSplit',
  'OneClassSplitOptions',
  'OneClassTestSet',
  'PatchPairs',
  'PatchSample',
  'PositionPairOptions',
  'PositionPairs',
  'Rng',
  'RotationBatch',
  'SceneOptions',
  'ScenePlacement',
  'SceneSet',
  'SourceFile',
  'Split',
  'StreetHazardsOptions',
  'StreetHazardsSet',
  'StreetHazardsSplit',
  'TinyImageNetOptions',
];

/** Run-time names of src/tfjs.ts (checked against the module). */
const TFJS_VALUES = ['batchToTensors', 'imageSetToTensor', 'tensorBatches'];

/** Type-only names of src/tfjs.ts (checked against its export statements). */
const TFJS_TYPES = ['TensorBatch'];

describe('public API', () => {
  it('@curvad/datasets exports exactly the listed names', () => {
    expect(Object.keys(api).sort()).toEqual(VALUES);
    expect(exportedNames(join(SRC, 'index.ts'))).toEqual([...VALUES, ...TYPES].sort());
  });
  it('@curvad/datasets/tfjs exports exactly the listed names', () => {
    expect(Object.keys(tfjsApi).sort()).toEqual(TFJS_VALUES);
    expect(exportedNames(join(SRC, 'tfjs.ts'))).toEqual([...TFJS_VALUES, ...TFJS_TYPES].sort());
  });
});
