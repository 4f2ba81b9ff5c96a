// Reads the Fashion-MNIST IDX files installed by Debian's dataset-fashion-mnist package, for the
// training check only (the package under test has no data loading of its own).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const FASHION_MNIST_DIR = process.env.CURVAD_FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

const IDX_IMAGES_MAGIC = 2051;
const IDX_LABELS_MAGIC = 2049;

export function fashionMnistInstalled(): boolean {
  return ['train', 't10k'].every(
    (split) =>
      existsSync(join(FASHION_MNIST_DIR, `${split}-images-idx3-ubyte.gz`)) &&
      existsSync(join(FASHION_MNIST_DIR, `${split}-labels-idx1-ubyte.gz`)),
  );
}

export interface GreyImages {
  /** count x 28 x 28 bytes, row-major. */
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

/** The first `limit` images of a split ('train' or 't10k'). */
export function readFashionMnist(split: 'train' | 't10k', limit: number): GreyImages {
  const images = gunzipSync(readFileSync(join(FASHION_MNIST_DIR, `${split}-images-idx3-ubyte.gz`)));
  const labels = gunzipSync(readFileSync(join(FASHION_MNIST_DIR, `${split}-labels-idx1-ubyte.gz`)));
  if (images.readUInt32BE(0) !== IDX_IMAGES_MAGIC || labels.readUInt32BE(0) !== IDX_LABELS_MAGIC) {
    throw new Error(`${FASHION_MNIST_DIR}: not IDX image/label files (bad magic number).`);
  }
  const count = Math.min(limit, images.readUInt32BE(4), labels.readUInt32BE(4));
  const height = images.readUInt32BE(8);
  const width = images.readUInt32BE(12);
  return {
    pixels: new Uint8Array(images.subarray(16, 16 + count * height * width)),
    labels: new Uint8Array(labels.subarray(8, 8 + count)),
    count,
    height,
    width,
  };
}
