import { DatasetError } from '../errors.js';
import { assertImageSet, type ImageSet } from '../image-set.js';

/** The images (and labels) at `indices`, in that order, copied into a new ImageSet. */
export function takeImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  assertImageSet(set, 'takeImages');
  const [n, h, w, c] = set.shape;
  const per = h * w * c;
  const images = new Uint8Array(indices.length * per);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i]!;
    if (!Number.isInteger(src) || src < 0 || src >= n) {
      throw new DatasetError(`takeImages: index ${src} at position ${i} is outside 0..${n - 1}.`);
    }
    images.set(set.images.subarray(src * per, (src + 1) * per), i * per);
    labels[i] = set.labels[src]!;
  }
  const out: ImageSet = { images, labels, shape: [indices.length, h, w, c] };
  if (set.classNames) out.classNames = set.classNames;
  if (set.source) out.source = set.source;
  return out;
}

/** Gathers rows of `per` values of a flat per-image array (masks, class maps) at `indices`. */
export function takeRows(values: Uint8Array, per: number, indices: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(indices.length * per);
  for (let i = 0; i < indices.length; i++) out.set(values.subarray(indices[i]! * per, (indices[i]! + 1) * per), i * per);
  return out;
}

/** Indices of the images whose label is `label`, in order. */
export function indicesOfClass(labels: Uint8Array, label: number): number[] {
  const out: number[] = [];
  labels.forEach((l, i) => {
    if (l === label) out.push(i);
  });
  return out;
}
