// CIFAR-10 / CIFAR-100 "binary version" (Krizhevsky 2009, https://www.cs.toronto.edu/~kriz/cifar.html).
// CIFAR-10: cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin, records of
//   1 label byte + 3072 pixel bytes (1024 red, 1024 green, 1024 blue; each row-major 32x32).
// CIFAR-100: cifar-100-binary/{train,test}.bin, records of 1 coarse + 1 fine label byte + 3072 pixel bytes.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataSearchDirs } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { checkSplit, type ImageSet, type Split } from '../image-set.js';

const SIDE = 32;
const CHANNELS = 3;
const PIXEL_BYTES = SIDE * SIDE * CHANNELS;

export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
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
export function parseCifarRecords(bytes: Uint8Array, labelBytes: 1 | 2, maxLabel: readonly number[], file: string): { images: Uint8Array; labels: Uint8Array[] } {
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
        throw new DatasetError(`${file}: record ${i} has label ${label}, expected 0..${maxLabel[l]}; this is not a CIFAR${labelBytes === 2 ? '-100' : '-10'} binary file.`, { path: file });
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

function locate(name: string, subfolder: string, files: string[], dir: string | undefined): string[] {
  const dirs = dataSearchDirs(name, dir).flatMap((d) => [d, join(d, subfolder)]);
  for (const d of dirs) {
    if (files.every((f) => existsSync(join(d, f)))) return files.map((f) => join(d, f));
  }
  throw new DatasetError(
    `${name} binary files ${files.join(', ')} not found in ${dirs.join(', ')}. Download the binary version (fetchDataset('${name}') or https://www.cs.toronto.edu/~kriz/cifar.html) and extract it there.`,
    { path: dirs[0] },
  );
}

async function readAll(paths: string[]): Promise<{ path: string; bytes: Uint8Array }[]> {
  return Promise.all(
    paths.map(async (path) => {
      const buf = await readFile(path);
      return { path, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.length) };
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
  const files = options.split === 'train' ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ['test_batch.bin'];
  const parts = (await readAll(locate('cifar-10', 'cifar-10-batches-bin', files, options.dir))).map(({ path, bytes }) => parseCifarRecords(bytes, 1, [9], path));
  const images = concat(parts.map((p) => p.images));
  const labels = concat(parts.map((p) => p.labels[0]!));
  return { images, labels, shape: [labels.length, SIDE, SIDE, CHANNELS], classNames: CIFAR10_CLASS_NAMES, source: 'cifar-10-batches-bin' };
}

/** CIFAR-100: 32x32 RGB, 50,000 train / 10,000 test, 100 fine classes in 20 coarse superclasses. */
export async function cifar100(options: Cifar100Options): Promise<Cifar100Set> {
  checkSplit(options?.split, 'cifar100');
  if (options.labels !== undefined && options.labels !== 'fine' && options.labels !== 'coarse') {
    throw new DatasetError(`cifar100: labels must be 'fine' or 'coarse', got ${JSON.stringify(options.labels)}.`);
  }
  const file = options.split === 'train' ? 'train.bin' : 'test.bin';
  const [{ path, bytes }] = (await readAll(locate('cifar-100', 'cifar-100-binary', [file], options.dir))) as [{ path: string; bytes: Uint8Array }];
  const { images, labels } = parseCifarRecords(bytes, 2, [19, 99], path);
  const [coarseLabels, fineLabels] = labels as [Uint8Array, Uint8Array];
  return {
    images,
    labels: options.labels === 'coarse' ? coarseLabels : fineLabels,
    coarseLabels,
    fineLabels,
    shape: [fineLabels.length, SIDE, SIDE, CHANNELS],
    source: path,
  };
}
