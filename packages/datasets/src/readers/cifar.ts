// CIFAR-10 / CIFAR-100 "binary version" (Krizhevsky 2009, https://www.cs.toronto.edu/~kriz/cifar.html).
// CIFAR-10: cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin, records of
//   1 label byte + 3072 pixel bytes (1024 red, 1024 green, 1024 blue; each row-major 32x32).
// CIFAR-100: cifar-100-binary/{train,test}.bin, records of 1 coarse + 1 fine label byte + 3072 pixel bytes.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { dataSearchDirs, type FileSetLocation, locateFileSet, partialFolderError } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { recordFile } from '../file-records.js';
import { checkSplit, type DataFileRecord, type ImageSet, type Split } from '../image-set.js';

const SIDE = 32;
const CHANNELS = 3;
const PIXEL_BYTES = SIDE * SIDE * CHANNELS;

/** The files of each binary archive, train batches first; every split is read from the one folder holding them all. */
export const CIFAR_FILES = {
  'cifar-10': {
    subfolder: 'cifar-10-batches-bin',
    train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
    test: ['test_batch.bin'],
    labelBytes: 1,
  },
  'cifar-100': { subfolder: 'cifar-100-binary', train: ['train.bin'], test: ['test.bin'], labelBytes: 2 },
} as const;
export type CifarName = keyof typeof CIFAR_FILES;

/** The bytes of one record: the label byte(s) and the 3072 pixel bytes. */
export function cifarRecordBytes(name: CifarName): number {
  return CIFAR_FILES[name].labelBytes + PIXEL_BYTES;
}

export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

export interface CifarOptions {
  split: Split;
  /** The extracted folder (`cifar-10-batches-bin` / `cifar-100-binary`) or its parent. Only it is searched when given. */
  dir?: string;
}

export interface Cifar100Options extends CifarOptions {
  /** Which labels go into `labels` (both are always returned): 'fine' (100 classes, default) or 'coarse' (20 superclasses). */
  labels?: 'fine' | 'coarse';
}

export interface Cifar100Set extends ImageSet {
  fineLabels: Uint8Array;
  coarseLabels: Uint8Array;
}

/** Parses CIFAR binary records into NHWC images. `labelBytes` is 1 (CIFAR-10) or 2 (CIFAR-100). */
export function parseCifarRecords(
  bytes: Uint8Array,
  labelBytes: 1 | 2,
  maxLabel: readonly number[],
  file: string,
): { images: Uint8Array; labels: Uint8Array[] } {
  const record = labelBytes + PIXEL_BYTES;
  if (bytes.length === 0 || bytes.length % record !== 0) {
    throw new DatasetError(
      `${file}: ${bytes.length} bytes is not a whole number of ${record}-byte CIFAR records (${labelBytes} label byte${labelBytes === 2 ? 's' : ''} + 3072 pixel bytes); the file is truncated or not a CIFAR binary batch.`,
      { path: file },
    );
  }
  const n = bytes.length / record;
  const images = new Uint8Array(n * PIXEL_BYTES);
  const labels = Array.from({ length: labelBytes }, () => new Uint8Array(n));
  const plane = SIDE * SIDE;
  for (let i = 0; i < n; i++) {
    const base = i * record;
    for (let l = 0; l < labelBytes; l++) {
      const label = bytes[base + l]!;
      if (label > maxLabel[l]!) {
        const which = labelBytes === 2 ? (l === 0 ? 'CIFAR-100 coarse' : 'CIFAR-100 fine') : 'CIFAR-10';
        throw new DatasetError(
          `${file}: label ${label} at index ${i} is outside ${which} classes 0..${maxLabel[l]}; the file is corrupt or not a ${labelBytes === 2 ? 'CIFAR-100' : 'CIFAR-10'} binary batch. Delete it and fetch it again.`,
          { path: file },
        );
      }
      labels[l]![i] = label;
    }
    const src = base + labelBytes;
    const dst = i * PIXEL_BYTES;
    // planar CHW on disk -> interleaved HWC in memory
    for (let p = 0; p < plane; p++) {
      images[dst + p * 3] = bytes[src + p]!;
      images[dst + p * 3 + 1] = bytes[src + plane + p]!;
      images[dst + p * 3 + 2] = bytes[src + 2 * plane + p]!;
    }
  }
  return { images, labels };
}

/**
 * Where a CIFAR binary dataset is: the first of `dataSearchDirs(name, dir)` (each also with the
 * archive's subfolder) holding any of its files. It must hold all of them (train and test).
 */
export function locateCifarDataset(name: CifarName, dir?: string): FileSetLocation {
  const { subfolder, train, test } = CIFAR_FILES[name];
  const dirs = dataSearchDirs(name, dir).flatMap((d) => [d, join(d, subfolder)]);
  return locateFileSet(dirs, [...train, ...test]);
}

function locateSplit(name: CifarName, split: Split, dir: string | undefined): string[] {
  const location = locateCifarDataset(name, dir);
  if (location.state === 'partial') throw partialFolderError(name, location, false);
  if (location.state === 'absent') {
    const { subfolder, train, test } = CIFAR_FILES[name];
    const dirs = dataSearchDirs(name, dir).flatMap((d) => [d, join(d, subfolder)]);
    throw new DatasetError(
      `${name} binary files ${[...train, ...test].join(', ')} not found in ${dirs.join(', ')}. Download the binary version (\`npx curvad datasets fetch ${name}\`, fetchDataset('${name}') or https://www.cs.toronto.edu/~kriz/cifar.html) and extract it there.`,
      { path: dirs[0] },
    );
  }
  const offset = split === 'train' ? 0 : CIFAR_FILES[name].train.length;
  return location.paths.slice(offset, offset + CIFAR_FILES[name][split].length);
}

async function readAll(paths: string[]): Promise<{ path: string; bytes: Uint8Array; record: DataFileRecord }[]> {
  return Promise.all(
    paths.map(async (path) => {
      let buf: Buffer;
      try {
        buf = await readFile(path);
      } catch (cause) {
        throw new DatasetError(`Cannot read ${path}: ${(cause as Error).message}.`, { path, cause });
      }
      const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
      return { path, bytes, record: await recordFile(path, bytes) };
    }),
  );
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** CIFAR-10: 32x32 RGB, 50,000 train (5 batches) / 10,000 test, 10 classes. */
export async function cifar10(options: CifarOptions): Promise<ImageSet> {
  checkSplit(options?.split, 'cifar10');
  const read = await readAll(locateSplit('cifar-10', options.split, options.dir));
  const parts = read.map(({ path, bytes }) => parseCifarRecords(bytes, 1, [9], path));
  const images = concat(parts.map((p) => p.images));
  const labels = concat(parts.map((p) => p.labels[0]!));
  return {
    images,
    labels,
    shape: [labels.length, SIDE, SIDE, CHANNELS],
    classNames: CIFAR10_CLASS_NAMES,
    source: dirname(read[0]!.path),
    sourceFiles: read.map((r) => r.record),
  };
}

/** CIFAR-100: 32x32 RGB, 50,000 train / 10,000 test, 100 fine classes in 20 coarse superclasses. */
export async function cifar100(options: Cifar100Options): Promise<Cifar100Set> {
  checkSplit(options?.split, 'cifar100');
  if (options.labels !== undefined && options.labels !== 'fine' && options.labels !== 'coarse') {
    throw new DatasetError(`cifar100: labels must be 'fine' or 'coarse', got ${JSON.stringify(options.labels)}.`);
  }
  const [{ path, bytes, record }] = (await readAll(locateSplit('cifar-100', options.split, options.dir))) as [
    { path: string; bytes: Uint8Array; record: DataFileRecord },
  ];
  const { images, labels } = parseCifarRecords(bytes, 2, [19, 99], path);
  const [coarseLabels, fineLabels] = labels as [Uint8Array, Uint8Array];
  return {
    images,
    labels: options.labels === 'coarse' ? coarseLabels : fineLabels,
    coarseLabels,
    fineLabels,
    shape: [fineLabels.length, SIDE, SIDE, CHANNELS],
    source: path,
    sourceFiles: [record],
  };
}
