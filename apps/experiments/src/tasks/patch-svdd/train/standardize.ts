// Inputs are standardized with the training images' mean and std (one number each, over every pixel
// and channel), as the released code's get_x_standardized; test images use the training statistics.
import type { ImageSet } from '@curvad/datasets';
import type { FloatImages } from '../data/patch-pairs';

/** Floor under the std: a constant training set (every pixel equal) is centred, not divided by 0. */
const MIN_STD = 1e-6;

export interface Standardization {
  mean: number;
  std: number;
}

/** The mean and std of every pixel value of `set`. */
export function standardizationOf(set: ImageSet): Standardization {
  let sum = 0;
  let squares = 0;
  for (const v of set.images) {
    sum += v;
    squares += v * v;
  }
  const n = set.images.length;
  const mean = sum / n;
  return { mean, std: Math.max(Math.sqrt(Math.max(squares / n - mean * mean, 0)), MIN_STD) };
}

/** `set`'s pixels as (v - mean) / std, float32 [n, h, w, c]. */
export function standardize(set: ImageSet, { mean, std }: Standardization): FloatImages {
  const pixels = new Float32Array(set.images.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (set.images[i]! - mean) / std;
  return { pixels, shape: [...set.shape] as [number, number, number, number] };
}
