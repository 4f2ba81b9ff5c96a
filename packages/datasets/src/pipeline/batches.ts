import { DatasetError } from '../errors.js';
import { assertImageSet, type ImageSet, type ImageShape } from '../image-set.js';
import { createRng, shuffledIndices } from '../random.js';
import { type Augmentation, type HWC, rotate90 } from './augment.js';
import { type Normalization, normalizePixels } from './normalize.js';
import { takeRows } from './subset.js';

export interface Batch {
  /** float32 NHWC, normalized and augmented. */
  images: Float32Array;
  labels: Uint8Array;
  shape: ImageShape;
  /** Positions of these images in the source set. */
  indices: Uint32Array;
  /** Per-pixel masks [n, h, w] gathered alongside, when the options give them. */
  masks?: Uint8Array;
}

export interface BatchOptions {
  batchSize: number;
  /** Shuffle the order (default true). */
  shuffle?: boolean;
  /**
   * An explicit order of the rows to batch (row indices, each at most once; a subset is fine), for
   * callers that own their shuffle; it overrides `shuffle` and the order part of `seed` / `epoch`.
   */
  order?: ArrayLike<number>;
  /** Seed of the order and of the augmentations (default 0). */
  seed?: number;
  /** Mixed into the seed, so each epoch has its own order but epoch e is the same on every run (default 0). */
  epoch?: number;
  /** Drop a last batch smaller than batchSize (default false). */
  dropLast?: boolean;
  normalize?: Normalization;
  /** Per-image augmentation, applied after normalization; geometric ones do not touch `masks`, so they cannot be combined. */
  augment?: Augmentation;
  /** Per-pixel masks of the set ([n, h, w]), batched alongside the images. */
  masks?: Uint8Array;
}

/** The caller's row order as Uint32Array, refused when an index is out of range, fractional or repeated. */
function checkedOrder(order: ArrayLike<number>, n: number): Uint32Array {
  const seen = new Uint8Array(n);
  const out = new Uint32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const row = order[i]!;
    if (!Number.isInteger(row) || row < 0 || row >= n) {
      throw new DatasetError(`batches: order[${i}] is ${row}, not a row of this set (integers 0 to ${n - 1}).`);
    }
    if (seen[row]) throw new DatasetError(`batches: order lists row ${row} twice; give each row at most once.`);
    seen[row] = 1;
    out[i] = row;
  }
  return out;
}

/** Golden-ratio increment: spreads consecutive epochs over unrelated seeds. */
const EPOCH_SEED_STRIDE = 0x9e3779b9;

/**
 * Seeded mini-batches over an ImageSet's typed arrays: only one batch is converted to float at a
 * time, never the whole dataset. The same options give the same batches, bit for bit.
 */
export function* batches(set: ImageSet, options: BatchOptions): Generator<Batch> {
  assertImageSet(set, 'batches');
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new DatasetError(`batches: batchSize must be a positive integer, got ${batchSize}.`);
  const [n, h, w, c] = set.shape;
  if (options.masks !== undefined && options.masks.length !== n * h * w) {
    throw new DatasetError(`batches: masks has ${options.masks.length} values, expected ${n * h * w} ([count, height, width]).`);
  }
  if (options.masks !== undefined && options.augment !== undefined) {
    throw new DatasetError('batches: augmentations move pixels but not masks; batch masked data without augment.');
  }
  const seed = ((options.seed ?? 0) + Math.imul(options.epoch ?? 0, EPOCH_SEED_STRIDE)) >>> 0;
  const order =
    options.order !== undefined
      ? checkedOrder(options.order, n)
      : options.shuffle === false
        ? Uint32Array.from({ length: n }, (_, i) => i)
        : shuffledIndices(n, seed);
  const augmentRng = createRng(seed ^ 0x5bd1e995);
  const per = h * w * c;
  const shape: HWC = [h, w, c];
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.subarray(start, Math.min(order.length, start + batchSize));
    if (options.dropLast && indices.length < batchSize) return;
    const pixels = new Uint8Array(indices.length * per);
    const labels = new Uint8Array(indices.length);
    indices.forEach((src, i) => {
      pixels.set(set.images.subarray(src * per, (src + 1) * per), i * per);
      labels[i] = set.labels[src]!;
    });
    const images = normalizePixels(pixels, c, options.normalize);
    if (options.augment) {
      for (let i = 0; i < indices.length; i++) {
        const out = options.augment(images.subarray(i * per, (i + 1) * per), shape, augmentRng);
        if (out.length !== per)
          throw new DatasetError(
            `batches: the augmentation returned ${out.length} values for a ${h}x${w}x${c} image; it must keep the shape.`,
          );
        images.set(out, i * per);
      }
    }
    const batch: Batch = { images, labels, shape: [indices.length, h, w, c], indices: indices.slice() };
    if (options.masks) batch.masks = takeRows(options.masks, h * w, indices);
    yield batch;
  }
}

export interface RotationBatch extends Batch {
  /** The original class labels, repeated for the four rotations. */
  classLabels: Uint8Array;
}

/**
 * RotNet's self-labelled batch (Gidaris et al. 2018; Golan & El-Yaniv 2018): each image four times,
 * turned by 0, 90, 180 and 270 degrees counter-clockwise, labelled 0..3 by the turn.
 * Layout: image-major, i.e. rows 4i..4i+3 are the rotations of image i.
 */
export function rotationBatch(batch: Batch): RotationBatch {
  const [n, h, w, c] = batch.shape;
  const per = h * w * c;
  const images = new Float32Array(4 * n * per);
  const labels = new Uint8Array(4 * n);
  const classLabels = new Uint8Array(4 * n);
  const indices = new Uint32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const image = batch.images.subarray(i * per, (i + 1) * per);
    for (let k = 0; k < 4; k++) {
      images.set(rotate90(image, [h, w, c], k), (4 * i + k) * per);
      labels[4 * i + k] = k;
      classLabels[4 * i + k] = batch.labels[i]!;
      indices[4 * i + k] = batch.indices[i]!;
    }
  }
  return { images, labels, classLabels, indices, shape: [4 * n, h, w, c] };
}
